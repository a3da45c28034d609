import type { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { ChannelAddress, ChatSession } from '../sessions/types.ts';

/**
 * An agent's (or bot's, or supervisor's) message that Connect streamed for the customer.
 *
 * @example
 * const reply: AgentMessage = { id: 'item-1', initialContactId: 'c-1', contactId: 'c-1', participantRole: 'AGENT', contentType: 'text/plain', text: 'Hi!', absoluteTime: '2026-12-04T10:00:00.000Z' };
 */
export interface AgentMessage {
  /** The streamed item's `Id`: what redeliveries and republications share. */
  id: string;
  initialContactId: string;
  contactId: string;
  /** `AGENT`, `SYSTEM`, `CUSTOM_BOT` or `SUPERVISOR`. */
  participantRole: string;
  displayName?: string;
  /** `text/plain` or `text/markdown`. */
  contentType: string;
  text: string;
  /** `AbsoluteTime`, ISO 8601. */
  absoluteTime: string;
}

/**
 * Sends text to customers of one inbound provider on their channel. Throws a `ConnectChatError`
 * whose code says whether a retry may help: `CHANNEL_UNAVAILABLE` (429, 5xx, network; retryable)
 * or `CHANNEL_REFUSED` (opted out, the WhatsApp 24-hour window closed, any other refusal).
 *
 * @example
 * const twilio: Deliverer = createTwilioDeliverer({ accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN! });
 */
export interface Deliverer {
  /** The inbound provider whose customers it reaches: `twilio`, `whatsapp`, `sns` or `generic` (the session's `address.provider`). */
  readonly provider: string;
  /** The most characters one message may carry on this channel; longer replies are split. */
  readonly maxLength: number;
  deliver(delivery: Delivery, options: { signal: AbortSignal }): Promise<void>;
}

/**
 * One message for the customer's channel.
 *
 * @example
 * const delivery: Delivery = { address: session.address!, text: 'Hi!', idempotencyKey: 'connect:item-1' };
 */
export interface Delivery {
  address: ChannelAddress;
  text: string;
  /** The same for every attempt at this item (and part): channels that take an idempotency key get it. */
  idempotencyKey: string;
}

/**
 * Hooks of the reply route. A hook that throws is logged and changes nothing, except
 * `onAgentMessage`, whose throw answers 500 so SNS retries.
 *
 * @example
 * const hooks: ReplyHooks = { onDeliveryFailed: ({ reason }) => metrics.increment('reply.failed', { reason }) };
 */
export interface ReplyHooks {
  /** Before delivery: return `false` to not forward it (answered 2xx, reported to `onIgnored`). */
  onAgentMessage?(message: AgentMessage, session: ChatSession): false | undefined | Promise<false | undefined>;
  /** The channel accepted every part. */
  onDelivered?(info: { message: AgentMessage; session: ChatSession; parts: number }): void | Promise<void>;
  /** Not delivered and not retried: refused for good by the channel, no deliverer for the channel, or no channel address. */
  onDeliveryFailed?(info: { message: AgentMessage; session?: ChatSession; reason: string; error?: ConnectChatError }): void | Promise<void>;
  /** Answered 2xx on purpose without delivering: the customer's own message, events, agent-only items, unknown contacts. */
  onIgnored?(info: { reason: string; itemId?: string; initialContactId?: string }): void | Promise<void>;
}

/**
 * The return path of `createConnectChat`: Connect's chat stream (SNS) → the customer's channel.
 *
 * @example
 * createConnectChat({ …, replies: { topicArns: [streamTopicArn], deliverers: [createTwilioDeliverer({ accountSid, authToken })] } });
 */
export interface RepliesOptions {
  /** The streaming topic(s) allowed to post to `${basePath}/connect` (and auto-confirmed). */
  topicArns: readonly string[];
  deliverers: readonly Deliverer[];
  /** For tests and the emulator: the SNS signing certificate for a URL (see `createSnsProvider`). */
  resolveCertificate?: (url: URL) => Promise<string>;
  hooks?: ReplyHooks;
}
