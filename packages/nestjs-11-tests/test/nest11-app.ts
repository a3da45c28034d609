import 'reflect-metadata';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { ConnectChatOptions } from '@connect-chat/core';
import { type DynamicModule, type INestApplication, Module, type Provider } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { requireBuiltNestjs } from './built-module.ts';

export const nestjs = requireBuiltNestjs();
/** The @nestjs/core these tests run on, asserted so a resolution slip to Nest 12 cannot pass unnoticed. */
export const nestVersion: string = (createRequire(import.meta.url)('@nestjs/core/package.json') as { version: string }).version;

export type Platform = 'express' | 'fastify';
export type Factory = 'forRoot' | 'forRootAsync';

export const matrix: Array<[Factory, Platform]> = [
  ['forRoot', 'express'],
  ['forRootAsync', 'express'],
  ['forRoot', 'fastify'],
  ['forRootAsync', 'fastify'],
];

const CONFIG = Symbol('bridge config');

@Module({})
class ConfigModule {
  static with(options: ConnectChatOptions): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] };
  }
}

export interface RunningNestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** A Nest 11 app importing the built module, listening on 127.0.0.1 port 0. */
export async function startNest11App(config: {
  factory: Factory;
  platform: Platform;
  options: ConnectChatOptions;
  providers?: Provider[];
  rawBody?: boolean;
  bodyParser?: boolean;
}): Promise<RunningNestApp> {
  const { ConnectChatModule } = nestjs;
  const connectChat =
    config.factory === 'forRoot'
      ? ConnectChatModule.forRoot(config.options)
      : ConnectChatModule.forRootAsync({
          imports: [ConfigModule.with(config.options)],
          inject: [CONFIG],
          useFactory: (options: ConnectChatOptions) => options,
        });
  const moduleRef = await Test.createTestingModule({ imports: [connectChat as DynamicModule], providers: config.providers ?? [] }).compile();
  const adapter = config.platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, { rawBody: config.rawBody ?? true, bodyParser: config.bodyParser ?? true, logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
