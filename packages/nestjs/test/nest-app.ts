import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { ConnectChatOptions } from '@connect-chat/core';
import { type DynamicModule, type INestApplication, type LoggerService, Module, type Provider, type Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { ConnectChatModule } from '../src/index.ts';

export type Platform = 'express' | 'fastify';
export type Factory = 'forRoot' | 'forRootAsync';

/** Every combination the module must work in. */
export const matrix: Array<[Factory, Platform]> = [
  ['forRoot', 'express'],
  ['forRootAsync', 'express'],
  ['forRoot', 'fastify'],
  ['forRootAsync', 'fastify'],
];

export interface NestAppOptions {
  factory: Factory;
  platform: Platform;
  options: ConnectChatOptions;
  /** App providers next to the module (e.g. ones with @OnInboundMessage methods). */
  providers?: Provider[];
  rawBody?: boolean;
  /** Nest's global JSON/form parsers; default true, as in NestFactory.create. */
  bodyParser?: boolean;
  logger?: LoggerService | false;
  globalPrefix?: string;
}

export interface RunningNestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

const CONFIG = Symbol('connect-chat test config');

// forRootAsync as apps use it: options from an injected config provider of another module.
@Module({})
class ConfigModule {
  static with(options: ConnectChatOptions): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] };
  }
}

function connectChatModule(factory: Factory, options: ConnectChatOptions): DynamicModule {
  if (factory === 'forRoot') return ConnectChatModule.forRoot(options);
  return ConnectChatModule.forRootAsync({
    imports: [ConfigModule.with(options)],
    inject: [CONFIG],
    useFactory: async (config: ConnectChatOptions) => config,
  });
}

/** A Nest app with ConnectChatModule, initialised and listening on 127.0.0.1, port 0. */
export async function startNestApp(config: NestAppOptions): Promise<RunningNestApp> {
  return startWithImports(config, [connectChatModule(config.factory, config.options)]);
}

/** The same with any module definition, e.g. forRootAsync({ useClass }). */
export async function startWithImports(config: Omit<NestAppOptions, 'options' | 'factory'>, imports: Array<DynamicModule | Type>): Promise<RunningNestApp> {
  const moduleRef = await Test.createTestingModule({ imports, providers: config.providers ?? [] }).compile();
  const adapter = config.platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = moduleRef.createNestApplication(adapter, {
    rawBody: config.rawBody ?? true,
    bodyParser: config.bodyParser ?? true,
    logger: config.logger ?? false,
  });
  if (config.globalPrefix) app.setGlobalPrefix(config.globalPrefix);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}
