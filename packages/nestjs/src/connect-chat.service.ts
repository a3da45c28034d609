import { ConnectChatError, createConnectChat } from '@connect-chat/core';
import type { ChatIntegrationEvent, ConnectChat, Logger, SendOptions, SendResult } from '@connect-chat/core';
import { Inject, Injectable, Logger as NestLogger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { CONNECT_CHAT_MODULE_OPTIONS, type ConnectChatModuleOptions } from './connect-chat.module-definition.ts';
import { type AgentMessageHandler, chainOnAgentMessage, discoverAgentMessageHandlers } from './agent-message-handlers.ts';
import { chainOnMessage, discoverInboundMessageHandlers, type InboundMessageHandler } from './inbound-message-handlers.ts';

/**
 * The bridge behind `ConnectChatModule`: its webhook handlers serve the module's routes, and app
 * code sends events to Connect through the same sender (same pacing, retries and per-chat order).
 *
 * @example
 * @Injectable()
 * export class CaseClosedListener {
 *   constructor(private readonly connectChat: ConnectChatService) {}
 *
 *   async onCaseClosed(customerPhone: string) {
 *     await this.connectChat.send(disconnectEvent({ SourceId: customerPhone, DestinationId: phoneNumberArn, Subtype: 'connect:sms' }));
 *   }
 * }
 */
@Injectable()
export class ConnectChatService implements OnModuleInit, OnApplicationShutdown {
  /** The core bridge: `handlers`, `paths`, `handler(name)`, `match(pathname)` and `sender`. */
  readonly connectChat: ConnectChat;
  private inboundMessageHandlers: readonly InboundMessageHandler[] = [];
  private agentMessageHandlers: readonly AgentMessageHandler[] = [];
  private readonly logger: Logger;

  // Explicit tokens: the published build must not depend on the bundler emitting design:paramtypes.
  constructor(
    @Inject(CONNECT_CHAT_MODULE_OPTIONS) options: ConnectChatModuleOptions,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
  ) {
    if (typeof options !== 'object' || options === null) {
      throw new ConnectChatError(
        'INVALID_OPTIONS',
        `ConnectChatModule options: expected ConnectChatOptions, got ${options === null ? 'null' : typeof options}`,
      );
    }
    this.logger = options.logger ?? nestLogger(new NestLogger('ConnectChat'));
    const replies = options.replies && {
      ...options.replies,
      hooks: { ...options.replies.hooks, onAgentMessage: chainOnAgentMessage(options.replies.hooks, () => this.agentMessageHandlers) },
    };
    this.connectChat = createConnectChat({
      ...options,
      ...(replies ? { replies } : {}),
      logger: this.logger,
      hooks: { ...options.hooks, onMessage: chainOnMessage(options.hooks, () => this.inboundMessageHandlers) },
    });
  }

  /**
   * After the HTTP server stopped: waits for requests still being handled and for sends that
   * outlived their webhook to settle their claims, so a restart leaves no claim in flight.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.connectChat.settled();
  }

  onModuleInit(): void {
    this.inboundMessageHandlers = discoverInboundMessageHandlers(this.discovery, this.scanner);
    this.agentMessageHandlers = discoverAgentMessageHandlers(this.discovery, this.scanner);
    this.logger.debug('@OnInboundMessage handlers discovered', { handlers: this.inboundMessageHandlers.map((handler) => handler.name) });
  }

  /**
   * Sends one chat integration event (e.g. a DISCONNECT when a CRM case closes). Rejects with a
   * `ConnectChatError` (`SendError` for Connect failures) instead of answering a webhook.
   *
   * @example
   * const { initialContactId } = await connectChat.send(textMessage(chat, 'Your order shipped'));
   */
  send(event: ChatIntegrationEvent, options?: SendOptions): Promise<SendResult> {
    return this.connectChat.sender.send(event, options);
  }
}

// Core's default logger discards everything; in Nest, its own logger is where operators look.
function nestLogger(logger: NestLogger): Logger {
  const write = (level: 'debug' | 'log' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) =>
    fields === undefined ? logger[level](message) : logger[level](message, fields);
  return { debug: write('debug'), info: write('log'), warn: write('warn'), error: write('error') };
}
