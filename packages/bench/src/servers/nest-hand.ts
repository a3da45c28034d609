// What "writing it by hand" means on NestJS (Express or Fastify platform): the platform's body
// parser, then hand-written.ts.
import 'reflect-metadata';
import { Body, Controller, Header, Headers, HttpCode, Module, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { emptyTwiml, handTwilio } from './hand-written.ts';
import { listenNest, platformArgument } from './nest-platform.ts';

@Controller('webhooks')
class TwilioController {
  @Post('twilio')
  @HttpCode(200)
  @Header('content-type', 'text/xml')
  async receive(
    @Body() params: Record<string, string>,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Req() req: { originalUrl?: string; url: string },
  ): Promise<string> {
    const status = await handTwilio(params, signature, req.originalUrl ?? req.url);
    if (status === 401) throw new UnauthorizedException();
    if (status === 503) throw new ServiceUnavailableException();
    return emptyTwiml;
  }
}

@Module({ controllers: [TwilioController] })
class AppModule {}

await listenNest(AppModule, platformArgument());
