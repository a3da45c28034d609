import { ConnectChatError } from '@connect-chat/core';
import type { InboundMessage, WebhookHooks } from '@connect-chat/core';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { OnInboundMessage } from './on-inbound-message.decorator.ts';

type OnMessageResult = Awaited<ReturnType<NonNullable<WebhookHooks['onMessage']>>>;

/** One `@OnInboundMessage()` method, bound to its provider instance. */
export interface InboundMessageHandler {
  name: string;
  provider: string | undefined;
  handle(message: InboundMessage): OnMessageResult | Promise<OnMessageResult>;
}

/** Every `@OnInboundMessage()` method on the application's singleton providers, in module order. */
export function discoverInboundMessageHandlers(discovery: DiscoveryService, scanner: MetadataScanner): InboundMessageHandler[] {
  return discovery.getProviders().flatMap((wrapper) => {
    const instance: unknown = wrapper.instance;
    // Request-scoped and transient providers have no single instance to call.
    if (typeof instance !== 'object' || instance === null || !wrapper.isDependencyTreeStatic()) return [];
    const methods = instance as Record<string, (message: InboundMessage) => OnMessageResult | Promise<OnMessageResult>>;
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance)).flatMap((method) => {
      const options = discovery.getMetadataByDecorator(OnInboundMessage, wrapper, method);
      if (options === undefined) return [];
      if (options.provider !== undefined && typeof options.provider !== 'string') {
        throw new ConnectChatError(
          'INVALID_OPTIONS',
          `@OnInboundMessage() on ${name(instance, method)}: provider: expected a provider name such as 'twilio', got ${typeof options.provider}`,
        );
      }
      return [{ name: name(instance, method), provider: options.provider, handle: (message: InboundMessage) => methods[method]!.call(instance, message) }];
    });
  });
}

/**
 * Core's `onMessage` hook for the module: the application's own `hooks.onMessage` first, then each
 * decorated method on the message the previous one returned; `false` stops and drops the message.
 * `handlers` is read per message because discovery runs after the bridge is created.
 */
export function chainOnMessage(hooks: WebhookHooks | undefined, handlers: () => readonly InboundMessageHandler[]): NonNullable<WebhookHooks['onMessage']> {
  const own: InboundMessageHandler[] = hooks?.onMessage
    ? [{ name: 'hooks.onMessage', provider: undefined, handle: (message) => hooks.onMessage!(message) }]
    : [];
  return async (message) => {
    let current = message;
    for (const handler of [...own, ...handlers()]) {
      if (handler.provider !== undefined && handler.provider !== current.provider) continue;
      const result = await handler.handle(current);
      if (result === false) return false;
      if (result !== undefined) current = result;
    }
    return current;
  };
}

function name(instance: object, method: string): string {
  return `${instance.constructor.name}.${method}`;
}
