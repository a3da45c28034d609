import type { Channel, InboundMessage } from '../providers/types.ts';

/**
 * Where inbound messages go: one DestinationId for all, a map from the number the customer wrote
 * to (E.164; WhatsApp's phone_number_id also matches) to a DestinationId, or a function.
 */
export type DestinationOption =
  | string
  | Readonly<Record<string, string>>
  | ((message: InboundMessage) => string | undefined | Promise<string | undefined>);

/** What happens to media that an SMS/WhatsApp chat (text/plain only) cannot carry. */
export type MediaPolicy =
  /** Default: each media URL (or `[<type> <id>]` when there is no URL) on its own line after the text. */
  | 'append-links'
  /** Drop the media, keep the text; a media-only message becomes `[attachment]`. */
  | 'drop'
  /** Refuse the message (422, onError). */
  | 'reject';

/** What happens to text/plain over 1,024 characters on SMS/WhatsApp. */
export type LongTextPolicy =
  /** Default: split into ordered parts of at most 1,024 characters, on word boundaries where possible. */
  | 'split'
  /** Refuse the message (422, onError). */
  | 'reject';

export interface RouteOptions {
  destination: DestinationOption;
  /** Subtype per channel. Defaults: sms → `connect:sms`, whatsapp → `connect:WhatsApp`, custom → `connect:sms` unless the message says. */
  subtypes?: Partial<Record<Channel, string>>;
  /** `NewSessionDetails` for chats these messages create. */
  session?: {
    /** Default: the provider's profile name, else the customer's number. */
    displayName?: string | ((message: InboundMessage) => string | undefined);
    /** Added to `channel` and `provider`, which are always set. */
    attributes?: Readonly<Record<string, string>> | ((message: InboundMessage) => Readonly<Record<string, string>> | undefined);
    /** SNS topic ARN for chat streaming (the agent → customer path). */
    streamingEndpointArn?: string;
    /** Default `['text/plain']`. */
    supportedMessagingContentTypes?: string[];
  };
  media?: MediaPolicy;
  longText?: LongTextPolicy;
  /** Accept Subtype values the API does not document (the service may add channels). Default false. */
  allowUnknownSubtype?: boolean;
}
