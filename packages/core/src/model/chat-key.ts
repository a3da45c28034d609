import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { ChatIntegrationEvent } from './types.ts';

/**
 * The chat key as one string: the triple Connect uses to find the active chat
 * (SourceId, DestinationId, Subtype). JSON of the triple, so no two different triples collide
 * whatever characters they contain; an absent Subtype is `null`.
 *
 * @example
 * chatKeyOf({ SourceId: '+14155550100', DestinationId: 'arn:…', Subtype: 'connect:sms' });
 * // '["+14155550100","arn:…","connect:sms"]'
 */
export function chatKeyOf(event: Pick<ChatIntegrationEvent, 'SourceId' | 'DestinationId' | 'Subtype'>): string {
  if (typeof event !== 'object' || event === null) {
    throw new ConnectChatError('INVALID_OPTIONS', `event: expected an object with SourceId and DestinationId, got ${event === null ? 'null' : typeof event}`);
  }
  const { SourceId, DestinationId, Subtype } = event;
  if (typeof SourceId !== 'string') throw new ConnectChatError('INVALID_OPTIONS', `event.SourceId: expected a string, got ${typeof SourceId}`);
  if (typeof DestinationId !== 'string') {
    throw new ConnectChatError('INVALID_OPTIONS', `event.DestinationId: expected a string, got ${typeof DestinationId}`);
  }
  if (Subtype !== undefined && typeof Subtype !== 'string') {
    throw new ConnectChatError('INVALID_OPTIONS', `event.Subtype: expected a string or undefined, got ${typeof Subtype}`);
  }
  return JSON.stringify([SourceId, DestinationId, Subtype ?? null]);
}
