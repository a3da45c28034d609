import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { WebhookBodyErrorFilter } from './body-parser-error.filter.ts';
import { ConnectChatConfigurableModule } from './connect-chat.module-definition.ts';
import { ConnectChatService } from './connect-chat.service.ts';
import { webhookMiddleware } from './webhook.middleware.ts';

/**
 * Serves `POST|GET ${basePath}/${provider.name}` for each configured provider (default
 * `/webhooks/...`) and provides {@link ConnectChatService}. Requires `{ rawBody: true }` in
 * `NestFactory.create` so signatures can be checked over the bytes received.
 *
 * @example
 * @Module({
 *   imports: [
 *     ConnectChatModule.forRootAsync({
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({
 *         providers: [createTwilioProvider({ authToken: config.getOrThrow('TWILIO_AUTH_TOKEN') })],
 *         route: { destination: config.getOrThrow('CONNECT_DESTINATION_ID') },
 *       }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [ConnectChatService, { provide: APP_FILTER, useClass: WebhookBodyErrorFilter }],
  exports: [ConnectChatService],
})
export class ConnectChatModule extends ConnectChatConfigurableModule implements NestModule {
  constructor(@Inject(ConnectChatService) private readonly service: ConnectChatService) {
    super();
  }

  // Routes are known only once forRootAsync's factory has run, which is before Nest asks modules
  // for their middleware: binding a middleware per path needs no hand-written route metadata.
  configure(consumer: MiddlewareConsumer): void {
    const { connectChat } = this.service;
    for (const path of connectChat.paths) {
      consumer.apply(webhookMiddleware(path, connectChat.match(path)!)).forRoutes(path);
    }
  }
}
