import type { ChatIntegrationEvent } from '../model/types.ts';
import type { SendOptions, SendResult, Sender } from './types.ts';

/**
 * Internal: the send of a sender from `createSender` that skips validation, for the webhook handler,
 * which has already validated the event against the route's settings before claiming it. Every
 * event is then validated once on its way; a `Sender` without it is called through `send`.
 */
export const sendPrevalidated = Symbol('connect-chat send prevalidated');

/** A sender that may take events the handler already validated. */
export type PrevalidatingSender = Sender & {
  [sendPrevalidated]?: (event: ChatIntegrationEvent, options?: SendOptions) => Promise<SendResult>;
};

/** How the handler sends an event it has validated. */
export function sendValidated(sender: PrevalidatingSender, event: ChatIntegrationEvent, options: SendOptions): Promise<SendResult> {
  const prevalidated = sender[sendPrevalidated];
  return prevalidated ? prevalidated(event, options) : sender.send(event, options);
}
