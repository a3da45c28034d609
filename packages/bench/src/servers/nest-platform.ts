import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** `express` (Nest's default) or `fastify`, from the first argument: one server file per role serves both. */
export type NestPlatform = 'express' | 'fastify';

export function platformArgument(): NestPlatform {
  const platform = process.argv[2] ?? 'express';
  if (platform !== 'express' && platform !== 'fastify') throw new Error(`expected "express" or "fastify" as the first argument, got "${platform}"`);
  return platform;
}

/**
 * A Nest app on the chosen platform, listening on PORT/HOST. Nest's start-up chatter is off, as in the
 * sample bridge (which logs it at debug); the Fastify adapter is loaded only when asked for.
 */
export async function listenNest(module: object, platform: NestPlatform, options: { rawBody?: boolean } = {}): Promise<INestApplication> {
  const logger = ['error', 'warn'] as const;
  let app: INestApplication;
  if (platform === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    app = await NestFactory.create(module, new FastifyAdapter(), { ...options, logger: [...logger] });
  } else {
    app = await NestFactory.create(module, { ...options, logger: [...logger] });
  }
  await app.listen(Number(process.env['PORT']), process.env['HOST'] ?? '127.0.0.1');
  return app;
}
