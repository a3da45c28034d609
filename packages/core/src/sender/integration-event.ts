import { chatKeyOf } from '../model/chat-key.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import type { SessionStore } from '../sessions/types.ts';
import type { RefusalHints } from './aws-errors.ts';
import type { TransportResult, TransportSendOptions } from './types.ts';

// What every SendChatIntegrationEvent transport shares, whatever client it calls through: kept
// apart from the SDK transport so the fetch transport uses it without importing the AWS SDK.

export const operation = 'SendChatIntegrationEvent';

export const hints: RefusalHints = {
  accessDenied:
    'AWS restricts this API to AWS End User Messaging, so this account may not have access to it even with the ' +
    'connect:SendChatIntegrationEvent permission. Any Connect account can use the participant transport instead ' +
    '(createParticipantTransport; CONNECT_TRANSPORT=participant in the sample bridges) with a contact flow ARN as DestinationId',
  notFound: 'check DestinationId (the End User Messaging number ARN) and that it is linked to the Connect instance',
};

/** `SendChatIntegrationEvent`'s documented quota: 17 requests/s, burst 26, per account and Region. */
export const quotas = Object.freeze({ [operation]: Object.freeze({ requestsPerSecond: 17, burst: 26 }) });

/** Connect's default chat duration: how long a recorded session is kept. */
const chatDurationMs = 25 * 60 * 60_000;

/** Connect's output as the transports return it: a null contact id (DISCONNECT with no chat) is left out. */
export function toTransportResult(output: Record<string, unknown>, requestId: string | undefined): TransportResult {
  const contactId = output['InitialContactId'];
  const result: TransportResult = { NewChatCreated: output['NewChatCreated'] === true };
  if (typeof contactId === 'string') result.InitialContactId = contactId;
  if (requestId !== undefined) result.requestId = requestId;
  return result;
}

/**
 * Remembers which contact a conversation is in and where its customer wrote from, so an agent's
 * streamed reply finds its way back. Connect accepted the event already: a store failure here must
 * not fail the send (its retry would duplicate the message), so it only costs that reply its route.
 */
export async function recordSession(
  sessions: SessionStore,
  event: ChatIntegrationEvent,
  result: TransportResult,
  sent: Pick<TransportSendOptions, 'idempotencyKey' | 'address'>,
): Promise<void> {
  const contactId = result.InitialContactId;
  if (contactId === undefined) return;
  try {
    if (event.Event.Type === 'DISCONNECT') return await sessions.delete(contactId);
    if (sent.address === undefined) return;
    const chatKey = chatKeyOf(event);
    const known = await sessions.get(chatKey);
    if (known?.initialContactId === contactId && JSON.stringify(known.address) === JSON.stringify(sent.address)) return;
    const now = Date.now();
    await sessions.put(
      known?.initialContactId === contactId
        ? { ...known, address: sent.address }
        : { chatKey, initialContactId: contactId, startedBy: sent.idempotencyKey, startedAt: now, expiresAt: now + chatDurationMs, address: sent.address },
    );
  } catch {
    // Deliberately swallowed: see above. The reply route reports the missing session when it matters.
  }
}
