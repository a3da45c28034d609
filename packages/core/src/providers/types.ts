import type { InboundMessage } from '../model/inbound-message.ts';
import type { HeaderLookup, OutboundResponse, ReceivedRequest } from '../wire/types.ts';
import type { Logger } from '../logger.ts';

/** A delivery that carries no customer message and is answered 2xx on purpose. */
export interface IgnoredEvent {
  provider: string;
  /** Why, in words: e.g. `whatsapp status callback (delivered)`. */
  reason: string;
  raw: unknown;
}

/** What a provider made of a verified request. */
export type ParseResult =
  /** Answer the provider directly: WhatsApp GET challenge, SNS subscription confirmed, … */
  /** `ignored`, when given, is reported to the `onIgnored` hook (e.g. an SNS UnsubscribeConfirmation). */
  | { kind: 'reply'; response: OutboundResponse; ignored?: IgnoredEvent }
  /** Customer messages to send, in order, plus deliveries ignored on purpose. */
  | { kind: 'messages'; messages: InboundMessage[]; ignored: IgnoredEvent[] };

/** What providers get from the handler besides the request. */
export interface ProviderContext {
  logger: Logger;
  /** A fetch to use for outbound calls (SNS certificates, SubscribeURL); defaults to global fetch. */
  fetch: typeof fetch;
  /** Aborted when the client that sent the request goes away (the request's own signal, where the runtime has one). */
  signal?: AbortSignal;
  /** Per-request bindings from the adapter, e.g. a Workers `env`; passed to secret functions. */
  env?: Readonly<Record<string, unknown>>;
  /** The `Retry-After` a 503 answers with: a remembered transient failure must not outlive it. */
  retryAfterSeconds?: number;
}

/**
 * A webhook source. Adding one touches one module plus its fixtures and tests.
 *
 * @example
 * const provider = createTwilioProvider({ authToken: process.env.TWILIO_AUTH_TOKEN! });
 */
export interface Provider {
  /** Short lowercase name, used in routes (`/webhooks/<name>`), logs and idempotency keys. */
  readonly name: string;
  /** Methods this provider receives; others answer 405. */
  readonly methods: readonly string[];
  /**
   * Accepted media types (`type/subtype`, lowercase, without parameters) per method; a method
   * missing here accepts any content type (SNS posts JSON as text/plain).
   */
  readonly contentTypes?: Readonly<Record<string, readonly string[]>>;
  /**
   * Checks the request's authenticity. Throws `SignatureError` (401), or `ConnectChatError` with
   * `FORBIDDEN` (403) / `MALFORMED_PAYLOAD` (400). Resolves when verified.
   */
  verify(request: ReceivedRequest, context: ProviderContext): Promise<void>;
  /** Turns a verified request into a reply or messages. Throws `ConnectChatError` (`MALFORMED_PAYLOAD`). */
  parse(request: ReceivedRequest, context: ProviderContext): Promise<ParseResult>;
  /** The 2xx body the provider expects once its messages are handled (Twilio: empty TwiML). */
  acknowledge?(): OutboundResponse;
}

/**
 * A secret, a list of secrets (rotation: any one verifies), or a function returning them, called
 * per request (secrets read at run time, or from a Workers `env`).
 */
export type SecretSource =
  | string
  | readonly string[]
  | ((request: {
      headers: HeaderLookup;
      url: URL;
      env?: Readonly<Record<string, unknown>>;
    }) => string | readonly string[] | Promise<string | readonly string[]>);

/** Why a request was refused, for the `onRejected` hook; never contains a secret. */
export interface Rejection {
  provider: string;
  status: number;
  code: string;
  reason: string;
}
