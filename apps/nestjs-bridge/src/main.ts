// An SMS/WhatsApp → Amazon Connect bridge on NestJS. Configuration: see the repository README.
import 'reflect-metadata';
import { runBridge } from '@connect-chat/bridge-kit';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.ts';

await runBridge(async (bridge) => {
  // rawBody: signatures are checked over the bytes the provider sent.
  const app = await NestFactory.create(AppModule.register(bridge.options), { rawBody: true, logger: ['warn', 'error'] });
  await app.listen(bridge.config.listen.port, bridge.config.listen.host);
  return app.getHttpServer();
});
