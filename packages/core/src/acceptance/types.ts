import type { ChatIntegrationEvent } from '../model/types.ts';
import type { ChannelAddress } from '../sessions/types.ts';

/**
 * One inbound message, routed and validated, as a durable queue keeps it until it is sent: its
 * events in order, each with the idempotency key its send uses (the participant transport's
 * ClientTokens derive from it, so a resend after a crash duplicates nothing there).
 *
 * @example
 * const accepted: AcceptedMessage = {
 *   key: 'twilio:SM123',
 *   events: [{ event: textMessage(chat, 'Hi'), idempotencyKey: 'twilio:SM123' }],
 *   address: { provider: 'twilio', channel: 'sms', customer: '+14155550100', business: '+12065550100' },
 * };
 */
export interface AcceptedMessage {
  /** The provider message's idempotency key, `<provider>:<id>`: a retry of it is a duplicate. */
  key: string;
  events: Array<{ event: ChatIntegrationEvent; idempotencyKey: string }>;
  /** Where the customer wrote from and to, kept with the chat's session for replies. */
  address: ChannelAddress;
}

/**
 * Durable acceptance: a webhook is answered 2xx once its message is written here, and a drain
 * sends it to Connect later, in order per chat. `accept` must be atomic with its deduplication, so
 * a provider's retry of an accepted message is answered as a duplicate and never queued twice.
 * `@connect-chat/redis` implements it on Redis streams.
 *
 * @example
 * const queue = createRedisAcceptanceQueue({ redis });
 * const chat = createConnectChat({ providers, sender, route, acceptance: queue });
 */
export interface AcceptanceQueue {
  /**
   * `accepted`: written durably. `duplicate`: this key was accepted before. `full`: the backlog is
   * at its bound (answered 503, the provider retries). Rejects when the queue cannot be reached.
   */
  accept(message: AcceptedMessage): Promise<'accepted' | 'duplicate' | 'full'>;
}
