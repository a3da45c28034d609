// Baseline: a bare NestJS controller (Express or Fastify platform) answering 200 to the same POST,
// body parsed by the platform, nothing else.
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { listenNest, platformArgument } from './nest-platform.ts';

@Controller('webhooks')
class TwilioController {
  @Post('twilio')
  @HttpCode(200)
  receive(@Body() _params: Record<string, string>): void {}
}

@Module({ controllers: [TwilioController] })
class AppModule {}

await listenNest(AppModule, platformArgument());
