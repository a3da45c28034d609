import type { AcceptanceQueue } from '../acceptance/types.ts';
import type { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import type { Logger } from '../logger.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { IgnoredEvent, Provider, Rejection } from '../providers/types.ts';
import type { RepliesOptions } from '../replies/types.ts';
import type { RouteOptions } from '../routing/types.ts';
import type { SendResult, Sender, SenderOptions } from '../sender/types.ts';
import type { InboundRequest, OutboundResponse } from '../wire/types.ts';

/** Application hooks. A hook that throws is logged and treated as described on each hook. */
export interface WebhookHooks {
  /**
   * Enrich or veto a message before it is sent: return a changed message, `false` to drop it
   * (answered 2xx and reported to `onIgnored`), or nothing to keep it. A throw answers 500 and
   * nothing is sent, so the provider retries.
   */
  onMessage?(message: InboundMessage): InboundMessage | false | undefined | Promise<InboundMessage | false | undefined>;
  /** After Connect accepted every event of a message. */
  onSent?(info: { message: InboundMessage; events: ChatIntegrationEvent[]; results: SendResult[] }): void | Promise<void>;
  /** A delivery answered 2xx on purpose without sending (status callbacks, vetoed messages, unsubscribe confirmations). */
  onIgnored?(event: IgnoredEvent): void | Promise<void>;
  /** A request refused before any message was read (401, 403, 400, 405, 413, 415), with the reason. */
  onRejected?(rejection: Rejection): void | Promise<void>;
  /** A message that was not sent: permanent (422) or transient (503) Connect failures, invalid events. */
  onError?(info: { error: ConnectChatError; message?: InboundMessage; event?: ChatIntegrationEvent }): void | Promise<void>;
  /** Once per inbound message, and once per request refused before any message was read: one log line each. */
  onOutcome?(outcome: MessageOutcome): void | Promise<void>;
}

/** What became of one inbound message (or of a refused request), for logs and metrics. */
export interface MessageOutcome {
  provider: string;
  /** The provider's message id; absent when the request was refused before a message was read. */
  messageId?: string;
  /** `chatKeyOf` the message's first event, once it was routed. */
  chatKey?: string;
  /** `queued`: written to the durable acceptance queue (`options.acceptance`), sent later by its drain. */
  outcome: 'sent' | 'queued' | 'duplicate' | 'ignored' | 'failed' | 'rejected';
  /** The HTTP status this message alone would have been answered with. */
  status: number;
  /** The error code when the outcome is `failed` or `rejected`. */
  code?: string;
  /** From the start of the request (rejected) or of the message's own processing. */
  durationMs: number;
  message?: InboundMessage;
}

/** Options of {@link createWebhookHandler}: one provider's endpoint. For several providers sharing a sender, use `createConnectChat`. */
export interface WebhookHandlerOptions {
  provider: Provider;
  sender: Sender;
  route: RouteOptions;
  /** Default: an in-memory store (10,000 entries, 24 h). `false` turns deduplication off. */
  idempotency?: IdempotencyStore | false;
  /**
   * Durable acceptance: answer 2xx once each message is written to this queue, and let a drain send
   * it (e.g. `createRedisAcceptanceQueue` from `@connect-chat/redis`). Unset: 2xx only once Connect
   * accepted the message.
   */
  acceptance?: AcceptanceQueue;
  /** Largest body read, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  hooks?: WebhookHooks;
  logger?: Logger;
  /** Used by providers for outbound calls (SNS certificates and subscription confirmation). */
  fetch?: typeof fetch;
  /** `Retry-After` seconds on 503. Default 5. */
  retryAfterSeconds?: number;
  /**
   * One deadline for the whole request, in ms: every message and part of a delivery shares it.
   * Past it nothing new is sent and the rest answers 503 + `Retry-After`; a send already in flight
   * finishes in the background and its outcome is recorded, so the provider's retry sends only what
   * is missing. Default 10,000, below Twilio's and SNS's 15 s webhook timeouts.
   */
  deadlineMs?: number;
}

/** Per-request extras from an adapter. */
export interface HandleOptions {
  /** Bindings such as a Workers `env`: secret functions receive them. */
  env?: Readonly<Record<string, unknown>>;
  /** Runs post-response work on runtimes that stop at the response (Workers `executionCtx.waitUntil`). */
  waitUntil?(promise: Promise<unknown>): void;
}

/**
 * One provider's webhook endpoint. `handle` never rejects: every outcome is a response.
 */
export interface WebhookHandler {
  readonly provider: Provider;
  handle(request: InboundRequest, options?: HandleOptions): Promise<OutboundResponse>;
  /** The same for Web `Request`/`Response` (Hono, Workers, Bun, Deno). */
  fetch(request: Request, options?: HandleOptions): Promise<Response>;
  /**
   * Resolves once every request being handled and every send that outlived its webhook (past
   * `deadlineMs`) has finished and settled its idempotency claim. A graceful shutdown waits for it
   * before closing a shared store, so a provider's retry finds the message sent, never a claim left
   * in flight.
   */
  settled?(): Promise<void>;
}

/** Everything a bridge needs: providers, where messages go, and how to reach Connect. */
export interface ConnectChatOptions extends Omit<WebhookHandlerOptions, 'provider' | 'sender'> {
  providers: readonly Provider[];
  /** A sender, or the options to create one with `createSender`. */
  sender?: Sender | SenderOptions;
  /** Where provider routes live: `${basePath}/${provider.name}`. Default `/webhooks`. */
  basePath?: string;
  /**
   * The return path: agent replies streamed by Connect (SNS) at `${basePath}/connect`, delivered to
   * each customer's channel. The sender's transport must keep sessions (both built-in ones do).
   */
  replies?: RepliesOptions;
}

/**
 * A bridge: one webhook handler per provider, sharing one sender and one idempotency store.
 * Adapters mount it; `match` finds the handler for a path.
 */
export interface ConnectChat {
  readonly sender: Sender;
  readonly handlers: Readonly<Record<string, WebhookHandler>>;
  /** `${basePath}/${name}` for each provider, in the order given. */
  readonly paths: readonly string[];
  /** The handler for a provider name; throws `INVALID_OPTIONS` for an unknown name. */
  handler(providerName: string): WebhookHandler;
  /** The handler whose path equals `pathname`, or undefined (adapters then pass the request on). */
  match(pathname: string): WebhookHandler | undefined;
  /**
   * Resolves once every send that outlived its webhook has settled: call it on shutdown, after the
   * server stopped taking requests and before closing shared stores.
   *
   * @example
   * server.close(async () => { await bridge.settled(); await redis.close(); process.exit(0); });
   */
  settled(): Promise<void>;
}
