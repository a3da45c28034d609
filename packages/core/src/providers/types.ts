import type { HeaderLookup, OutboundResponse, ReceivedRequest } from '../http/types.ts';
import type { Logger } from '../logger.ts';

/** The channel a message arrived on; routing derives the Subtype from it. */
export type Channel = 'sms' | 'whatsapp' | 'custom';

/** What the customer did. Providers that only carry text messages only produce `message`. */
export type InboundMessageKind = 'message' | 'typing' | 'delivered' | 'read' | 'disconnect';

/** An attachment the provider announced (Twilio `MediaUrl{N}`, a WhatsApp image id, …). */
export interface InboundMedia {
  /** A URL where the media can be fetched, when the provider gives one. */
  url?: string;
  /** The provider's media id, when it gives one instead of a URL (WhatsApp). */
  id?: string;
  contentType?: string;
  /** A caption or file name. */
  caption?: string;
}

/**
 * One customer message normalised from any provider. Routing turns it into chat integration events.
 */
export interface InboundMessage {
  /** The provider's name, e.g. `twilio`. */
  provider: string;
  /** The provider's message id (Twilio MessageSid, wamid, webhook-id, SNS inboundMessageId): the idempotency key. */
  id: string;
  channel: Channel;
  kind: InboundMessageKind;
  /** The customer: E.164 for SMS and WhatsApp. Becomes `SourceId`. */
  from: string;
  /** The number or address the customer wrote to (E.164 for SMS/WhatsApp): the destination map's key. */
  to: string;
  /** Other keys the destination map may match, e.g. Meta's `phone_number_id`. */
  toAliases?: string[];
  text?: string;
  media: InboundMedia[];
  /** The customer's display name when the provider knows it (WhatsApp profile, Twilio ProfileName). */
  profileName?: string;
  /** For `delivered`/`read`: the id of the message the receipt is about. */
  receiptFor?: string;
  /** When the provider says the message was sent (ISO 8601), if it does. */
  timestamp?: string;
  /** Provider-specific routing hints (the generic provider can carry a DestinationId, Subtype, attributes). */
  hints?: {
    destinationId?: string;
    subtype?: string;
    attributes?: Record<string, string>;
  };
  /** The provider's own payload for this message, untouched. */
  raw: unknown;
}

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
