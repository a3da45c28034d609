// The NestJS sample bridge (apps/nestjs-bridge) on the Fastify platform: that app is built for
// Express, so this is its main.ts and app.module.ts with FastifyAdapter, on the same bridge-kit
// (configuration contract, JSON log line per message, graceful shutdown).
import 'reflect-metadata';
import { runBridge } from '@connect-chat/bridge-kit';
import type { Logger } from '@connect-chat/core';
import { ConnectChatModule, type ConnectChatModuleOptions } from '@connect-chat/nestjs';
import { Controller, type DynamicModule, Get, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

@Controller()
class HealthController {
  @Get('healthz')
  health() {
    return { status: 'ok' };
  }
}

@Module({})
class AppModule {
  static register(options: ConnectChatModuleOptions): DynamicModule {
    return { module: AppModule, imports: [ConnectChatModule.forRoot(options)], controllers: [HealthController] };
  }
}

await runBridge(async (bridge) => {
  // As the sample: webhooks only, so no body parser (connect-chat reads each body itself).
  const app = await NestFactory.create(AppModule.register(bridge.options), new FastifyAdapter(), { bodyParser: false, logger: jsonLines(bridge.logger) });
  await app.listen(bridge.config.listen.port, bridge.config.listen.host);
  return app.getHttpServer();
});

/** Nest's own messages as the bridge's JSON lines on stdout (its start-up chatter at debug), as in apps/nestjs-bridge. */
function jsonLines(logger: Logger): LoggerService {
  const write =
    (level: keyof Logger) =>
    (message: unknown, ...context: unknown[]) =>
      logger[level](String(message), context.length > 0 ? { nest: context.map(String) } : undefined);
  return { log: write('debug'), debug: write('debug'), verbose: write('debug'), warn: write('warn'), error: write('error'), fatal: write('error') };
}
