import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { SnsEnvelope } from '../providers/sns/envelope.ts';
import type { AgentMessage } from './types.ts';

/** What a streamed item asks of the bridge. */
export type StreamVerdict =
  | { kind: 'deliver'; message: AgentMessage }
  | { kind: 'chat-ended'; itemId: string; initialContactId: string }
  | { kind: 'ignore'; reason: string; itemId?: string; initialContactId?: string };

const chatEnded = 'application/vnd.amazonaws.connect.event.chat.ended';
const textTypes = ['text/plain', 'text/markdown'];
const customerVisible = ['CUSTOMER', 'ALL'];

/**
 * Reads the item Connect streamed in an SNS notification and decides: deliver an agent's message
 * to the customer (Type MESSAGE, visible to the customer, not the customer's own, complete text),
 * end the session (`chat.ended`), or ignore it (everything else). A body that is not Connect's item
 * is MALFORMED_PAYLOAD (400).
 *
 * @example
 * const verdict = readStreamedItem(envelope);
 * if (verdict.kind === 'deliver') await deliver(verdict.message);
 */
export function readStreamedItem(envelope: SnsEnvelope): StreamVerdict {
  const item = parseItem(envelope.Message);
  const attribute = (name: string): string | undefined => envelope.MessageAttributes?.[name]?.Value;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const itemId = text(item['Id']);
  const initialContactId = text(item['InitialContactId']) ?? attribute('InitialContactId');
  if (itemId === undefined || initialContactId === undefined) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'The streamed item has no Id or InitialContactId.');
  }
  const about = { itemId, initialContactId };
  const contentType = text(item['ContentType']) ?? attribute('ContentType');
  if (contentType === chatEnded) return { kind: 'chat-ended', ...about };
  const type = text(item['Type']) ?? attribute('Type');
  if (type !== 'MESSAGE') return { kind: 'ignore', reason: `a ${type ?? 'typeless'} item (${contentType ?? 'no content type'})`, ...about };
  const role = text(item['ParticipantRole']) ?? attribute('ParticipantRole') ?? 'AGENT';
  if (role === 'CUSTOMER') return { kind: 'ignore', reason: "the customer's own message", ...about };
  const visibility = attribute('MessageVisibility') ?? text(item['MessageVisibility']);
  if (visibility !== undefined && !customerVisible.includes(visibility)) return { kind: 'ignore', reason: `visible to ${visibility} only`, ...about };
  const metadata = item['MessageMetadata'] as { MessageCompleted?: unknown } | undefined;
  if (metadata?.MessageCompleted === false) return { kind: 'ignore', reason: 'an incomplete streamed chunk', ...about };
  const content = text(item['Content']);
  if (contentType === undefined || !textTypes.includes(contentType) || content === undefined) {
    return { kind: 'ignore', reason: `not text the channel can carry (${contentType ?? 'no content type'})`, ...about };
  }
  const message: AgentMessage = {
    id: itemId,
    initialContactId,
    contactId: text(item['ContactId']) ?? attribute('ContactId') ?? initialContactId,
    participantRole: role,
    contentType,
    text: content,
    absoluteTime: text(item['AbsoluteTime']) ?? envelope.Timestamp,
  };
  const displayName = text(item['DisplayName']);
  if (displayName !== undefined) message.displayName = displayName;
  return { kind: 'deliver', message };
}

function parseItem(message: string): Record<string, unknown> {
  let item: unknown;
  try {
    item = JSON.parse(message);
  } catch {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'The SNS Message is not the JSON item Connect streams.');
  }
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'The SNS Message is not the JSON item Connect streams.');
  }
  return item as Record<string, unknown>;
}
