import { type AgentMessage, type ChatSession, ConnectChatError, type ReplyHooks } from '@connect-chat/core';
import type { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { OnAgentMessage } from './on-agent-message.decorator.ts';

type Verdict = false | undefined;

/** One `@OnAgentMessage()` method, bound to its provider instance. */
export interface AgentMessageHandler {
  name: string;
  provider: string | undefined;
  handle(message: AgentMessage, session: ChatSession): Verdict | Promise<Verdict>;
}

/** Every `@OnAgentMessage()` method on the application's singleton providers, in module order. */
export function discoverAgentMessageHandlers(discovery: DiscoveryService, scanner: MetadataScanner): AgentMessageHandler[] {
  return discovery.getProviders().flatMap((wrapper) => {
    const instance: unknown = wrapper.instance;
    if (typeof instance !== 'object' || instance === null || !wrapper.isDependencyTreeStatic()) return [];
    const methods = instance as Record<string, (message: AgentMessage, session: ChatSession) => Verdict | Promise<Verdict>>;
    return scanner.getAllMethodNames(Object.getPrototypeOf(instance)).flatMap((method) => {
      const options = discovery.getMetadataByDecorator(OnAgentMessage, wrapper, method);
      if (options === undefined) return [];
      const name = `${instance.constructor.name}.${method}`;
      if (options.provider !== undefined && typeof options.provider !== 'string') {
        throw new ConnectChatError(
          'INVALID_OPTIONS',
          `@OnAgentMessage() on ${name}: provider: expected a provider name such as 'twilio', got ${typeof options.provider}`,
        );
      }
      return [{ name, provider: options.provider, handle: (message: AgentMessage, session: ChatSession) => methods[method]!.call(instance, message, session) }];
    });
  });
}

/**
 * Core's `onAgentMessage` hook for the module: the application's own hook first, then each
 * decorated method whose provider matches the session's; `false` stops and keeps the reply back.
 */
export function chainOnAgentMessage(hooks: ReplyHooks | undefined, handlers: () => readonly AgentMessageHandler[]): NonNullable<ReplyHooks['onAgentMessage']> {
  const own: AgentMessageHandler[] = hooks?.onAgentMessage ? [{ name: 'replies.hooks.onAgentMessage', provider: undefined, handle: hooks.onAgentMessage }] : [];
  return async (message, session) => {
    for (const handler of [...own, ...handlers()]) {
      if (handler.provider !== undefined && handler.provider !== session.address?.provider) continue;
      if ((await handler.handle(message, session)) === false) return false;
    }
    return undefined;
  };
}
