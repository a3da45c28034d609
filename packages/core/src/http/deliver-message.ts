import type { AcceptanceQueue } from '../acceptance/types.ts';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { idempotencyKey } from '../idempotency/keys.ts';
import type { ClaimResult } from '../idempotency/types.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { toChatIntegrationEvents } from '../routing/route.ts';
import { sendValidated } from '../sender/prevalidated.ts';
import type { SendResult } from '../sender/types.ts';
import type { ChannelAddress } from '../sessions/types.ts';
import type { ResolvedOptions } from './handler-options.ts';
import type { HandleOptions } from './handler-types.ts';
import type { Delivered, MessageResult } from './message-result.ts';
import { deadlinePassed, type WebhookDeadline } from './webhook-deadline.ts';

/** Delivers one message to its result; see {@link createMessageDelivery}. */
export interface MessageDelivery {
  deliver(message: InboundMessage, context: DeliveryContext): Promise<MessageResult>;
  /** Resolves once every send that outlived its webhook has finished and settled its claim. */
  settled(): Promise<void>;
}

/** What every message of one webhook request shares. */
export interface DeliveryContext {
  deadline: WebhookDeadline;
  waitUntil: HandleOptions['waitUntil'];
}

type Failed = Extract<Delivered, { outcome: 'failed' }>;
const claimResults: readonly unknown[] = ['claimed', 'in-flight', 'completed'];

/**
 * Delivery of one message as a value: the onMessage hook, routing, validation, then each event
 * claimed and sent in order. It answers nothing and fires no observer hook: `respond` does both.
 */
export function createMessageDelivery(config: ResolvedOptions): MessageDelivery {
  const { provider, route } = config;
  const background = new Set<Promise<unknown>>();
  const claims: Claims = { providerName: provider.name, sender: config.sender, store: config.store, logger: config.logger, background };

  async function deliver(original: InboundMessage, context: DeliveryContext): Promise<MessageResult> {
    const started = performance.now();
    const result = await deliverUntimed(original, context).catch((cause: unknown) => failed(original, internal('unexpected failure', cause)));
    return { ...result, durationMs: performance.now() - started };
  }

  async function deliverUntimed(original: InboundMessage, context: DeliveryContext): Promise<Delivered> {
    if (typeof original?.id !== 'string' || original.id.length === 0) {
      // Deduplicating on an empty id would drop every later message as a duplicate.
      return failed(original, internal(`provider ${provider.name} produced a message without an id`));
    }
    const verdict = await askOnMessage(original);
    if (verdict === false) return { outcome: 'ignored', message: original, reason: `message ${original.id} vetoed by the onMessage hook` };
    if (verdict instanceof ConnectChatError) return failed(original, verdict);
    const message = verdict ?? original;
    let events: ChatIntegrationEvent[];
    try {
      // Built with the model's builders: valid when returned, so the sender need not check again.
      events = await toChatIntegrationEvents(message, route);
    } catch (error) {
      const refused = asConnectChatError(error);
      const event = refused instanceof ValidationError ? refused.event : undefined;
      return event ? { ...failed(message, refused, event), chatKey: chatKeyOf(event) } : failed(message, refused);
    }
    // The provider's own id, whatever a hook changed: it is what the provider's retry carries.
    const delivered = config.acceptance
      ? await acceptEvents(config.acceptance, provider.name, original.id, message, events)
      : await sendEvents(claims, original.id, message, events, context);
    return { ...delivered, ...chatKeyOf1(events) };
  }

  async function askOnMessage(message: InboundMessage): Promise<InboundMessage | false | undefined | ConnectChatError> {
    if (!config.hooks.onMessage) return undefined;
    try {
      const verdict = await config.hooks.onMessage(message);
      if (verdict !== undefined && verdict !== false && (typeof verdict !== 'object' || verdict === null)) {
        throw new TypeError(`onMessage returned ${typeof verdict}; expected a message, false or nothing`);
      }
      return verdict;
    } catch (cause) {
      return internal('the onMessage hook threw; nothing was sent for this message', cause);
    }
  }

  return {
    deliver,
    async settled() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}

/** What claiming and sending need. */
interface Claims {
  providerName: string;
  sender: ResolvedOptions['sender'];
  store: ResolvedOptions['store'];
  logger: ResolvedOptions['logger'];
  /** Sends past their webhook's deadline, until they settle: what a graceful shutdown waits for. */
  background: Set<Promise<unknown>>;
}

/**
 * Claims and sends each event in order. Past the webhook's deadline nothing new starts, and a send
 * still running finishes in the background: its claim is settled when it ends, so the provider's
 * retry waits for it and is a duplicate (or finds it still in flight near its own deadline: 503),
 * never lost and never sent twice.
 */
async function sendEvents(
  deps: Claims,
  messageId: string,
  message: InboundMessage,
  events: ChatIntegrationEvent[],
  context: DeliveryContext,
): Promise<Delivered> {
  // This delivery's claims: a send that outlives its claim cannot release a newer delivery's.
  const owner = crypto.randomUUID();
  // What every part of the message shares: worked out once, not per part.
  const address = addressOf(message);
  const writtenAt = writtenAtOf(message);
  const sent: ChatIntegrationEvent[] = [];
  const results: SendResult[] = [];
  for (const [index, event] of events.entries()) {
    const key = idempotencyKey(deps.providerName, messageId, events.length === 1 ? undefined : index + 1);
    if (context.deadline.remainingMs() <= 0) return failed(message, deadlinePassed(), event);
    const claim = await claimWhenFree(deps, key, owner, context.deadline);
    if (claim instanceof ConnectChatError) return failed(message, claim, event);
    if (claim === 'completed') continue;
    if (claim === 'in-flight') {
      return failed(message, new ConnectChatError('DUPLICATE_IN_FLIGHT', `Message ${messageId} is being sent right now; retry later.`), event);
    }
    const outcome = await sendOne(deps, { event, key, address, writtenAt }, owner, context);
    if (outcome instanceof ConnectChatError) return failed(message, outcome, event);
    sent.push(event);
    results.push(outcome);
  }
  return sent.length === 0 ? { outcome: 'duplicate', message } : { outcome: 'sent', message, events: sent, results };
}

/** Durable acceptance: the message written to the queue (or found there) is answered 2xx; its drain sends it. */
async function acceptEvents(
  queue: AcceptanceQueue,
  providerName: string,
  messageId: string,
  message: InboundMessage,
  events: ChatIntegrationEvent[],
): Promise<Delivered> {
  const parts = events.map((event, index) => ({ event, idempotencyKey: idempotencyKey(providerName, messageId, events.length === 1 ? undefined : index + 1) }));
  let accepted: Awaited<ReturnType<AcceptanceQueue['accept']>>;
  try {
    accepted = await queue.accept({ key: idempotencyKey(providerName, messageId), events: parts, address: addressOf(message) });
  } catch (cause) {
    return failed(message, new ConnectChatError('ACCEPTANCE_UNAVAILABLE', 'The acceptance queue failed; nothing was accepted.', { cause }));
  }
  if (accepted === 'duplicate') return { outcome: 'duplicate', message };
  if (accepted === 'accepted') return { outcome: 'queued', message, events };
  return failed(message, new ConnectChatError('ACCEPTANCE_UNAVAILABLE', 'The acceptance queue is at its bound; retry later.'));
}

/** What a copy waiting for the first copy's send leaves of its deadline for its own send. */
const sendReserveMs = 2_000;

/**
 * Claims `key`, waiting while another delivery of the same message holds it: the provider's retry
 * of a message still being sent (here, or by an instance that crashed, whose claim lapses with its
 * lease). Once that send completes the copy is a duplicate (2xx); once its claim is released or
 * lapses, this delivery sends. It stops waiting while `sendReserveMs` of the deadline is left, and
 * the copy is answered 503 (`DUPLICATE_IN_FLIGHT`): providers that retry for seconds only (Twilio)
 * are answered within their window instead of losing the message to a 503 and no retry.
 */
async function claimWhenFree(deps: Claims, key: string, owner: string, deadline: WebhookDeadline): Promise<ClaimResult | ConnectChatError> {
  for (let waitMs = 50; ; waitMs = Math.min(500, waitMs * 2)) {
    const claim = await claimOf(deps, key, owner);
    if (claim !== 'in-flight' || deadline.remainingMs() - waitMs < sendReserveMs) return claim;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}

async function claimOf({ store }: Claims, key: string, owner: string): Promise<ClaimResult | ConnectChatError> {
  try {
    const claim = store ? await store.claim(key, owner) : 'claimed';
    if (!claimResults.includes(claim)) throw new TypeError(`claim() answered ${String(claim)}; expected claimed, in-flight or completed`);
    return claim;
  } catch (cause) {
    return new ConnectChatError('IDEMPOTENCY_UNAVAILABLE', 'The idempotency store failed; nothing was sent.', { cause });
  }
}

/** One event to send, with the key its claim and its ClientTokens share. */
interface Outgoing {
  event: ChatIntegrationEvent;
  key: string;
  address: ChannelAddress;
  /** The provider's timestamp of the message: under a backlog, older messages get the next turns. */
  writtenAt: number | undefined;
}

/** The provider's own time of the message, never later than now; undefined when it gives none. */
function writtenAtOf(message: InboundMessage): number | undefined {
  const at = message.timestamp === undefined ? Number.NaN : Date.parse(message.timestamp);
  return Number.isFinite(at) ? Math.min(at, Date.now()) : undefined;
}

async function sendOne(deps: Claims, outgoing: Outgoing, owner: string, context: DeliveryContext): Promise<SendResult | ConnectChatError> {
  const sending = sendAndSettle(deps, outgoing, owner);
  try {
    const result = await context.deadline.race(sending);
    if (result !== undefined) return result;
  } catch (error) {
    return asConnectChatError(error);
  }
  // Settles its claim when it ends; on Workers the runtime must be told to wait for it.
  keepAlive(deps, context, sending);
  return deadlinePassed();
}

/** The send, then its claim completed (sent) or released (not sent): the claim is settled either way. */
async function sendAndSettle(deps: Claims, { event, key, address, writtenAt }: Outgoing, owner: string): Promise<SendResult> {
  let result: SendResult;
  try {
    // A Sender that throws instead of rejecting is caught here too.
    result = await sendValidated(deps.sender, event, { idempotencyKey: key, address, ...(writtenAt !== undefined && { writtenAt }) });
  } catch (error) {
    await settleClaim(deps, 'release', key, owner);
    throw error;
  }
  await settleClaim(deps, 'complete', key, owner);
  return result;
}

function keepAlive({ logger, providerName, background }: Claims, context: DeliveryContext, sending: Promise<unknown>): void {
  const tracked = sending.catch(() => undefined);
  background.add(tracked);
  void tracked.then(() => background.delete(tracked));
  try {
    context.waitUntil?.(sending.catch(() => undefined));
  } catch (error) {
    logger.error('connect-chat: waitUntil threw; the send in flight may be cut short', { provider: providerName, error });
  }
}

async function settleClaim({ store, logger, providerName }: Claims, action: 'complete' | 'release', key: string, owner: string): Promise<void> {
  if (!store) return;
  try {
    await (action === 'complete' ? store.complete(key) : store.release(key, owner));
  } catch (error) {
    // The send's outcome stands; a store failure only weakens deduplication of a later retry.
    logger.error(`connect-chat: the idempotency store failed to ${action} a claim`, { provider: providerName, key, error });
  }
}

/** Where the customer wrote from and to: what a reply needs, kept with the chat's session. */
function addressOf(message: InboundMessage): ChannelAddress {
  const address: ChannelAddress = { provider: message.provider, channel: message.channel, customer: message.from, business: message.to };
  if (message.toAliases !== undefined && message.toAliases.length > 0) address.businessAliases = [...message.toAliases];
  return address;
}

function failed(message: InboundMessage, error: ConnectChatError, event?: ChatIntegrationEvent): Failed {
  return event ? { outcome: 'failed', message, error, event } : { outcome: 'failed', message, error };
}

function internal(what: string, cause?: unknown): ConnectChatError {
  return new ConnectChatError('INTERNAL', what, { cause });
}

function asConnectChatError(error: unknown): ConnectChatError {
  return ConnectChatError.is(error) ? error : internal('unexpected failure', error);
}

function chatKeyOf1(events: ChatIntegrationEvent[]): { chatKey?: string } {
  return events[0] ? { chatKey: chatKeyOf(events[0]) } : {};
}
