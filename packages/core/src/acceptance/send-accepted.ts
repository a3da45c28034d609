import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import type { Logger } from '../logger.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import { sleep } from '../sender/backoff.ts';
import { sendValidated } from '../sender/prevalidated.ts';
import type { Sender } from '../sender/types.ts';
import type { AcceptedMessage } from './types.ts';

/** What became of one queued message: `sent`, `refused` for good (never retried), or `stopped` before it was sent. */
export type AcceptedOutcome = 'sent' | 'refused' | 'stopped';

/** What sending queued messages needs. */
export interface SendAcceptedOptions {
  sender: Sender;
  /**
   * Each event is claimed here before it is sent and completed after, as on the webhook path: a
   * message whose first part was sent before a crash sends only the rest when it is drained again.
   */
  store: IdempotencyStore | undefined;
  logger: Logger;
  /** Aborts when the caller stops draining (shutdown, a lost lease): what was not sent stays queued. */
  signal: AbortSignal;
  /** Called once per message Connect refused for good, before it is dropped from the queue. */
  onRefused?(message: AcceptedMessage, error: ConnectChatError): void | Promise<void>;
  /** First wait after a transient failure, doubled up to `maxRetryDelayMs`. Default 200 ms. */
  retryDelayMs?: number;
  /** Default 5,000 ms. */
  maxRetryDelayMs?: number;
}

/**
 * Sends a batch of queued messages in queue order per chat — chats in parallel, each chat's
 * messages one after another — retrying transient failures until they are sent or `signal` aborts.
 * A message stopped before it was sent stops the rest of its chat too, so a later message never
 * overtakes it. Resolves with each message's outcome, in the batch's order.
 *
 * @example
 * const outcomes = await sendAccepted(batch, { sender, logger, signal: lease.signal });
 * await queue.ack(batch.filter((_, i) => outcomes[i] !== 'stopped'));
 */
export async function sendAccepted(batch: readonly AcceptedMessage[], options: SendAcceptedOptions): Promise<AcceptedOutcome[]> {
  const outcomes: AcceptedOutcome[] = batch.map(() => 'stopped');
  const chains = new Map<string, Promise<boolean>>();
  for (const [index, message] of batch.entries()) {
    const first = message.events[0];
    const chat = first ? chatKeyOf(first.event) : message.key;
    const previous = chains.get(chat) ?? Promise.resolve(true);
    chains.set(
      chat,
      previous.then(async (goOn) => {
        if (!goOn) return false;
        outcomes[index] = await sendMessage(message, options);
        return outcomes[index] !== 'stopped';
      }),
    );
  }
  await Promise.all(chains.values());
  return outcomes;
}

async function sendMessage(message: AcceptedMessage, options: SendAcceptedOptions): Promise<AcceptedOutcome> {
  for (const { event, idempotencyKey } of message.events) {
    const outcome = await sendUntilSettled(message, event, idempotencyKey, options);
    if (outcome !== 'sent') return outcome;
  }
  return 'sent';
}

async function sendUntilSettled(
  message: AcceptedMessage,
  event: AcceptedMessage['events'][number]['event'],
  idempotencyKey: string,
  options: SendAcceptedOptions,
): Promise<AcceptedOutcome> {
  const { logger, signal } = options;
  const firstDelayMs = options.retryDelayMs ?? 200;
  const maxDelayMs = options.maxRetryDelayMs ?? 5_000;
  for (let delayMs = firstDelayMs; !signal.aborted; delayMs = Math.min(maxDelayMs, delayMs * 2)) {
    const failure = await sendOnce(message, event, idempotencyKey, options);
    if (failure === undefined) return 'sent';
    if (failure.status !== 503) {
      logger.error('connect-chat: a queued message was refused and dropped from the queue', { key: message.key, code: failure.code, error: failure });
      await options.onRefused?.(message, failure);
      return 'refused';
    }
    logger.warn('connect-chat: a queued message was not sent (transient); retrying', {
      key: message.key,
      code: failure.code,
      reason: failure.message,
      delayMs,
    });
    // Ends early when the drain stops: the loop's condition then says so.
    await sleep(delayMs, signal).catch(() => undefined);
  }
  return 'stopped';
}

/** One claimed attempt: undefined once the event is sent (now or before), else why not. */
async function sendOnce(
  message: AcceptedMessage,
  event: AcceptedMessage['events'][number]['event'],
  idempotencyKey: string,
  { sender, store }: SendAcceptedOptions,
): Promise<ConnectChatError | undefined> {
  const owner = crypto.randomUUID();
  try {
    const claim = store ? await store.claim(idempotencyKey, owner) : 'claimed';
    if (claim === 'completed') return undefined;
    if (claim === 'in-flight') return new ConnectChatError('DUPLICATE_IN_FLIGHT', `${idempotencyKey} is being sent right now`);
  } catch (cause) {
    return new ConnectChatError('IDEMPOTENCY_UNAVAILABLE', 'The idempotency store failed; nothing was sent.', { cause });
  }
  try {
    await sendValidated(sender, event, { idempotencyKey, address: message.address });
  } catch (error) {
    await store?.release(idempotencyKey, owner).catch(() => undefined);
    return ConnectChatError.is(error) ? error : new ConnectChatError('INTERNAL', 'unexpected failure', { cause: error });
  }
  // A failed completion only weakens deduplication of a later drain of the same message.
  await store?.complete(idempotencyKey).catch(() => undefined);
  return undefined;
}
