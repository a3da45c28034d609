import type { Channel, InboundMessage } from '../model/inbound-message.ts';

/**
 * Where inbound messages go: one DestinationId for all, a map from the number the customer wrote
 * to (E.164; WhatsApp's phone_number_id also matches) to a DestinationId, or a function.
 */
export type DestinationOption = string | Readonly<Record<string, string>> | ((message: InboundMessage) => string | undefined | Promise<string | undefined>);

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

/**
 * How inbound messages become chat integration events: which DestinationId and Subtype, what chats
 * they create look like, and what to do with media and long text. Checked at construction.
 *
 * @example
 * const route: RouteOptions = {
 *   destination: { '+12125550101': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' },
 *   session: { attributes: { team: 'support' } },
 *   media: 'drop',
 * };
 */
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
