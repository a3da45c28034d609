import type { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import type { SendResult } from '../sender/types.ts';

/** What delivery made of one message; `sent`, `queued`, `duplicate` and `ignored` are 2xx. */
export type Delivered = { message: InboundMessage; chatKey?: string } & (
  | { outcome: 'sent'; events: ChatIntegrationEvent[]; results: SendResult[] }
  /** Written to the durable acceptance queue; a drain sends it later. */
  | { outcome: 'queued'; events: ChatIntegrationEvent[] }
  | { outcome: 'duplicate' }
  | { outcome: 'ignored'; reason: string }
  /** The error's code decides the status through the one table (`httpStatusFor`). */
  | { outcome: 'failed'; error: ConnectChatError; event?: ChatIntegrationEvent }
);

/** What became of one inbound message, and how long it took: `respond` turns it into hooks and the answer. */
export type MessageResult = Delivered & { durationMs: number };
