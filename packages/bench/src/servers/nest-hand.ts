// What "writing it by hand" means on NestJS (Express or Fastify platform): the platform's body
// parser, the official twilio package's validateRequest, one SendChatIntegrationEventCommand, 200
// with empty TwiML. No idempotency, no per-chat ordering, no pacing, no logging, no error mapping.
import 'reflect-metadata';
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { Body, Controller, Header, Headers, HttpCode, Module, Post, Req, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import twilio from 'twilio';
import { listenNest, platformArgument } from './nest-platform.ts';

const env = process.env as Record<string, string>;
const connect = new ConnectClient({ region: env['AWS_REGION'], endpoint: env['AWS_ENDPOINT_URL_CONNECT'] });

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
    const url = env['PUBLIC_URL'] + (req.originalUrl ?? req.url);
    if (!twilio.validateRequest(env['TWILIO_AUTH_TOKEN']!, signature ?? '', url, params)) throw new UnauthorizedException();
    try {
      await connect.send(
        new SendChatIntegrationEventCommand({
          SourceId: params['From'],
          DestinationId: env['CONNECT_DESTINATION_ID'],
          Subtype: 'connect:sms',
          Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: params['Body'] },
          NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: params['From']! } },
        }),
      );
    } catch {
      throw new ServiceUnavailableException();
    }
    return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
  }
}

@Module({ controllers: [TwilioController] })
class AppModule {}

await listenNest(AppModule, platformArgument());
