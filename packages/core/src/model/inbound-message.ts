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
