// An SMS/WhatsApp → Amazon Connect bridge on NestJS. Configuration: see the repository README.
import 'reflect-metadata';
import { runBridge } from '@connect-chat/bridge-kit';
import type { Logger } from '@connect-chat/core';
import type { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.ts';

await runBridge(async (bridge) => {
  // This app serves webhooks only: connect-chat reads each body itself (signatures cover the bytes the
  // provider sent), so Nest's JSON and form parsers would only parse every webhook for nothing. An app
  // with routes of its own keeps them and sets rawBody: true instead (packages/nestjs/README.md).
  const app = await NestFactory.create(AppModule.register(bridge.options), { bodyParser: false, logger: jsonLines(bridge.logger) });
  await app.listen(bridge.config.listen.port, bridge.config.listen.host);
  return app.getHttpServer();
});

/** Nest's own messages as the bridge's JSON lines on stdout (its start-up chatter at debug). */
function jsonLines(logger: Logger): LoggerService {
  const write =
    (level: keyof Logger) =>
    (message: unknown, ...context: unknown[]) =>
      logger[level](String(message), context.length > 0 ? { nest: context.map(String) } : undefined);
  return { log: write('debug'), debug: write('debug'), verbose: write('debug'), warn: write('warn'), error: write('error'), fatal: write('error') };
}
