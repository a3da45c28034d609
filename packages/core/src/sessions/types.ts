import type { Channel } from '../model/inbound-message.ts';

/**
 * Where a conversation happens on the customer's side: what an agent's reply needs to reach them.
 *
 * @example
 * const address: ChannelAddress = { provider: 'twilio', channel: 'whatsapp', customer: '+14155550100', business: '+14255550182' };
 */
export interface ChannelAddress {
  /** The provider the customer wrote through (`twilio`, `whatsapp`, `sns`, `generic`, …). */
  provider: string;
  channel: Channel;
  /** The customer as the provider names them: E.164 for SMS and WhatsApp. */
  customer: string;
  /** What the customer wrote to: the business number (E.164) or the provider's address. */
  business: string;
  /** Other names of `business`, e.g. Meta's `phone_number_id`. */
  businessAliases?: string[];
}

/**
 * One chat Connect holds for a conversation, as the participant transport and the return path
 * need it. The tokens grant access to the chat: never log them.
 *
 * @example
 * const session = await sessions.getByContact(item.InitialContactId);
 * if (session?.address) await deliver(session.address, item.Content);
 */
export interface ChatSession {
  /** `chatKeyOf(event)`: the conversation. */
  chatKey: string;
  /** The contact the chat started as; stays the same across transfers. */
  initialContactId: string;
  /** What started the chat: the send whose idempotency key this is reports `newChatCreated`. */
  startedBy: string;
  /** Epoch ms the chat started. */
  startedAt: number;
  /** Epoch ms the chat ends at the latest (its duration); the store forgets it then. */
  expiresAt: number;
  address?: ChannelAddress;
  /** The participant transport's credentials for the customer's side of the chat. */
  participant?: {
    participantId: string;
    participantToken: string;
    connectionToken: string;
    /** Epoch ms the connection token expires. */
    connectionExpiresAt: number;
  };
}

/**
 * Sessions by conversation and by contact. The in-memory store is the default; a shared one (Redis)
 * lets several instances see the same chats. Methods may be async; failures reject.
 *
 * @example
 * const sessions: SessionStore = createMemorySessionStore({ maxSessions: 50_000 });
 * const transport = createParticipantTransport({ sessions });
 */
export interface SessionStore {
  get(chatKey: string): Promise<ChatSession | undefined>;
  getByContact(initialContactId: string): Promise<ChatSession | undefined>;
  /** Adds or replaces the session of `session.chatKey` (and indexes it by its contact). */
  put(session: ChatSession): Promise<void>;
  /** Forgets the session of this contact; the conversation's newer session, if any, stays. */
  delete(initialContactId: string): Promise<void>;
  /**
   * Optional, for stores shared by several instances: takes the right to start the conversation's
   * chat for `ttlMs` (true) unless another `owner` holds it (false), so two instances never start
   * two chats for one conversation. Within one process the sender's per-chat order already does.
   */
  lockChatStart?(chatKey: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the right back, only if `owner` still holds it. */
  unlockChatStart?(chatKey: string, owner: string): Promise<void>;
}
