import { ConnectChatError } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { Injectable, Module } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectChatModule, type ConnectChatModuleOptions, type ConnectChatOptionsFactory, OnInboundMessage } from '../src/index.ts';
import { genericBridge, postGenericMessage } from './fixtures.ts';
import { type Platform, type RunningNestApp, startNestApp, startWithImports } from './nest-app.ts';

let emulator: RunningEmulator;
let nest: RunningNestApp | undefined;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await nest?.close();
  nest = undefined;
});
afterAll(() => emulator?.close());

describe.each<[Platform]>([['express'], ['fastify']])('routes (%s)', (platform) => {
  it('follows basePath and the global prefix; other paths stay Nest 404s', async () => {
    const bridge = genericBridge(emulator.url);
    nest = await startNestApp({ factory: 'forRoot', platform, options: { ...bridge.options, basePath: '/hooks' }, globalPrefix: 'api' });

    const response = await postGenericMessage(nest.baseUrl, bridge.secret, '+14155550133', 'Hi', '/api/hooks/generic');
    expect(response.status).toBe(200);
    expect((await fetch(`${nest.baseUrl}/api/hooks/generic/extra`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${nest.baseUrl}/api/hooks/unknown`, { method: 'POST' })).status).toBe(404);
  });

  it('answers core responses verbatim (status, headers, body), with their length rather than chunked', async () => {
    const bridge = genericBridge(emulator.url);
    nest = await startNestApp({ factory: 'forRoot', platform, options: bridge.options });

    const response = await fetch(`${nest.baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.text();
    expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe('SIGNATURE_INVALID');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
  });
});

describe('forRootAsync with useClass and useExisting', () => {
  @Injectable()
  class BridgeConfig implements ConnectChatOptionsFactory {
    static options: ConnectChatModuleOptions;
    createConnectChatOptions() {
      return BridgeConfig.options;
    }
  }
  @Module({ providers: [BridgeConfig], exports: [BridgeConfig] })
  class BridgeConfigModule {}

  it.each([['useClass'], ['useExisting']])('%s', async (style) => {
    const bridge = genericBridge(emulator.url);
    BridgeConfig.options = bridge.options;
    const module =
      style === 'useClass'
        ? ConnectChatModule.forRootAsync({ useClass: BridgeConfig })
        : ConnectChatModule.forRootAsync({ imports: [BridgeConfigModule], useExisting: BridgeConfig });
    nest = await startWithImports({ platform: 'express' }, [module]);

    const response = await postGenericMessage(nest.baseUrl, bridge.secret, `+1415555014${style.length}`, 'Hi');
    expect(response.status).toBe(200);
  });
});

describe('configuration mistakes', () => {
  it('fail at startup with INVALID_OPTIONS', async () => {
    const bad = ConnectChatModule.forRoot({ providers: [], route: { destination: '' } } as ConnectChatModuleOptions);
    const started = startWithImports({ platform: 'express' }, [bad]);
    await expect(started).rejects.toSatisfy((error) => ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS');
  });

  it('an @OnInboundMessage() provider filter that is not a name fails at startup', async () => {
    @Injectable()
    class Misconfigured {
      @OnInboundMessage({ provider: 42 as unknown as string })
      handle() {}
    }
    const started = startNestApp({ factory: 'forRoot', platform: 'express', options: genericBridge(emulator.url).options, providers: [Misconfigured] });
    await expect(started).rejects.toThrow(/Misconfigured\.handle: provider: expected a provider name/);
  });
});
