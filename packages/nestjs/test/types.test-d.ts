// What users of @connect-chat/nestjs see: checked by `tsc -p tsconfig.json` (and `vitest --typecheck`).
import type { ConnectChat, ConnectChatOptions, InboundMessage, SendResult } from '@connect-chat/core';
import {
  type ConnectChatModuleOptions,
  type ConnectChatOptionsFactory,
  ConnectChatModule,
  type ConnectChatService,
  OnInboundMessage,
} from '@connect-chat/nestjs';
import { type DynamicModule, Injectable } from '@nestjs/common';
import { describe, expectTypeOf, it } from 'vitest';

declare const options: ConnectChatOptions;

@Injectable()
class Enricher {
  @OnInboundMessage({ provider: 'twilio' })
  enrich(message: InboundMessage): InboundMessage | false {
    return message;
  }

  @OnInboundMessage()
  observe(_message: InboundMessage): void {}
}

class Config implements ConnectChatOptionsFactory {
  createConnectChatOptions(): ConnectChatModuleOptions {
    return options;
  }
}

describe('what users see', () => {
  it('forRoot and forRootAsync return a DynamicModule and take core options', () => {
    expectTypeOf<ConnectChatModuleOptions>().toEqualTypeOf<ConnectChatOptions>();
    expectTypeOf(ConnectChatModule.forRoot({ ...options, isGlobal: true })).toEqualTypeOf<DynamicModule>();
    expectTypeOf(ConnectChatModule.forRootAsync({ useFactory: () => options })).toEqualTypeOf<DynamicModule>();
    expectTypeOf(ConnectChatModule.forRootAsync({ useClass: Config })).toEqualTypeOf<DynamicModule>();
    // @ts-expect-error a factory must return ConnectChatOptions
    ConnectChatModule.forRootAsync({ useFactory: () => ({ providers: [] }) });
  });

  it('the service sends through the module sender and exposes the bridge', () => {
    expectTypeOf<ConnectChatService['send']>().returns.resolves.toEqualTypeOf<SendResult>();
    expectTypeOf<ConnectChatService['connectChat']>().toEqualTypeOf<ConnectChat>();
  });

  it('OnInboundMessage takes an optional provider filter', () => {
    expectTypeOf(Enricher).toBeConstructibleWith();
    // @ts-expect-error provider is a name, not a Provider object
    OnInboundMessage({ provider: 42 });
  });
});
