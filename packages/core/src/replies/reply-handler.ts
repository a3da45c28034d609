import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { receive } from '../http/receive.ts';
import { errorResponse, errorResponseFor, internalErrorMessage, sendFailureResponse } from '../http/responses.ts';
import type { WebhookHandler } from '../http/handler-types.ts';
import { fromWebRequest, toWebResponse } from '../http/web.ts';
import { startWebhookDeadline, type WebhookDeadline } from '../http/webhook-deadline.ts';
import { idempotencyKey } from '../idempotency/keys.ts';
import type { IdempotencyStore } from '../idempotency/types.ts';
import type { Logger } from '../logger.ts';
import { splitText } from '../model/split-text.ts';
import { parseSnsEnvelope } from '../providers/sns/envelope.ts';
import { createSnsProvider } from '../providers/sns/sns-provider.ts';
import type { Provider, ProviderContext } from '../providers/types.ts';
import type { ChatSession, SessionStore } from '../sessions/types.ts';
import type { InboundRequest, OutboundResponse } from '../wire/types.ts';
import { readStreamedItem, type StreamVerdict } from './streamed-item.ts';
import type { AgentMessage, Deliverer, RepliesOptions, ReplyHooks } from './types.ts';

/** What the reply route needs besides {@link RepliesOptions}. */
export interface ReplyHandlerOptions extends RepliesOptions {
  /** Where the transport recorded each chat's channel address. */
  sessions: SessionStore;
  /** Deduplicates streamed items (SNS redelivers; Connect may publish an item twice). */
  idempotency: IdempotencyStore | false;
  logger: Logger;
  /** The route's name: `${basePath}/${name}`. Default `connect`. */
  name?: string;
  fetch?: typeof fetch;
  retryAfterSeconds?: number;
  deadlineMs?: number;
  maxBodyBytes?: number;
}

type Outcome = 'delivered' | 'duplicate' | 'ignored' | 'refused';

/**
 * The agent → customer route: verifies Connect's chat stream (SNS, the streaming topics only),
 * confirms its subscription, and delivers each agent message to the customer's channel through the
 * deliverer of the session's provider, split for the channel, in order, each part once. 2xx only
 * once the channel accepted every part (or the item was a duplicate, not for the customer, or
 * refused for good — then `onDeliveryFailed` hears why); a transient channel failure answers 503 +
 * `Retry-After`, and SNS's retry delivers only the parts not yet accepted.
 *
 * @example
 * const replies = createReplyHandler({ topicArns: [topic], deliverers: [twilio], sessions, idempotency: createMemoryIdempotencyStore(), logger: consoleLogger });
 * app.post('/webhooks/connect', async (req) => replies.fetch(req));
 */
export function createReplyHandler(options: ReplyHandlerOptions): WebhookHandler {
  const name = options.name ?? 'connect';
  const provider: Provider = createSnsProvider({
    name,
    topicArns: options.topicArns,
    ...(options.resolveCertificate ? { resolveCertificate: options.resolveCertificate } : {}),
  });
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  const limits = {
    providerName: name,
    methods: ['POST'],
    contentTypes: new Map<string, readonly string[]>(),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
  };
  const deliverers = new Map(options.deliverers.map((deliverer) => [deliverer.provider, deliverer]));
  const run: ReplyRun = { ...options, deliverers, hooks: options.hooks ?? {}, retryAfterSeconds, deadlineMs: options.deadlineMs ?? 10_000 };

  async function handle(request: InboundRequest): Promise<OutboundResponse> {
    let verdict: StreamVerdict;
    try {
      const received = await receive(request, limits);
      const context: ProviderContext = { logger: options.logger, fetch: options.fetch ?? fetch, retryAfterSeconds };
      await provider.verify(received, context);
      if (parseSnsEnvelope(received).Type !== 'Notification') {
        const parsed = await provider.parse(received, context);
        if (parsed.kind === 'reply') return parsed.response;
      }
      verdict = readStreamedItem(parseSnsEnvelope(received));
    } catch (error) {
      const refused = ConnectChatError.is(error) ? error : new ConnectChatError('INTERNAL', 'unexpected failure', { cause: error });
      options.logger.info('connect-chat: stream delivery refused', { provider: name, code: refused.code, reason: refused.message });
      return errorResponseFor(refused, { allow: ['POST'], retryAfterSeconds });
    }
    try {
      return await act(run, verdict);
    } catch (error) {
      options.logger.error('connect-chat: unexpected failure while delivering a reply', { provider: name, error });
      return errorResponse('INTERNAL', internalErrorMessage, { retryAfterSeconds });
    }
  }

  return {
    provider,
    handle,
    async fetch(request) {
      return toWebResponse(await handle(fromWebRequest(request)));
    },
  };
}

interface ReplyRun {
  sessions: SessionStore;
  idempotency: IdempotencyStore | false;
  deliverers: ReadonlyMap<string, Deliverer>;
  hooks: ReplyHooks;
  logger: Logger;
  retryAfterSeconds: number;
  deadlineMs: number;
}

async function act(run: ReplyRun, verdict: StreamVerdict): Promise<OutboundResponse> {
  if (verdict.kind === 'ignore') return ignored(run, verdict);
  const contact = verdict.kind === 'deliver' ? verdict.message.initialContactId : verdict.initialContactId;
  const session = await withSessions(() => run.sessions.getByContact(contact));
  if (session instanceof ConnectChatError) return failure(run, session);
  if (verdict.kind === 'chat-ended') {
    // The conversation's next message starts a new chat; nothing more goes to this one.
    const dropped = await withSessions(() => run.sessions.delete(verdict.initialContactId));
    if (dropped instanceof ConnectChatError) return failure(run, dropped);
    run.logger.info('connect-chat: chat ended; session dropped', { initialContactId: verdict.initialContactId, known: session !== undefined });
    return ok('ignored');
  }
  const { message } = verdict;
  if (!session)
    return ignored(run, {
      reason: 'no session for this contact (not started by this bridge, or expired)',
      itemId: message.id,
      initialContactId: message.initialContactId,
    });
  const deliverer = session.address ? run.deliverers.get(session.address.provider) : undefined;
  if (!deliverer) {
    const reason = session.address ? `no deliverer is configured for ${session.address.provider} customers` : 'the session has no channel address';
    run.logger.warn(`connect-chat: agent reply not delivered: ${reason}`, { itemId: message.id, initialContactId: message.initialContactId });
    notify(run, 'onDeliveryFailed', { message, session, reason });
    return ok('refused');
  }
  const verdictOfApp = await askOnAgentMessage(run, message, session);
  if (verdictOfApp instanceof ConnectChatError) return failure(run, verdictOfApp);
  if (verdictOfApp === false)
    return ignored(run, { reason: 'vetoed by the onAgentMessage hook', itemId: message.id, initialContactId: message.initialContactId });
  return deliverOnce(run, message, session, deliverer);
}

/** Claims the item, then each part in order; a retry after a transient failure sends only what is missing. */
async function deliverOnce(run: ReplyRun, message: AgentMessage, session: ChatSession, deliverer: Deliverer): Promise<OutboundResponse> {
  const owner = crypto.randomUUID();
  const itemKey = idempotencyKey('connect', message.id);
  const claim = await claimOf(run, itemKey, owner);
  if (claim instanceof ConnectChatError) return failure(run, claim);
  if (claim === 'completed') return ok('duplicate');
  if (claim === 'in-flight') return failure(run, new ConnectChatError('DUPLICATE_IN_FLIGHT', 'This reply is being delivered right now; retry later.'));
  const parts = splitText(message.text, deliverer.maxLength);
  const deadline = startWebhookDeadline(run.deadlineMs);
  const outcome = await deliverParts(run, { message, session, deliverer, parts, owner, deadline }).catch(async (error: unknown) => {
    // A bug must not leave the item claimed: SNS's retry would wait out the in-flight expiry.
    await settle(run, 'release', itemKey, owner);
    throw error;
  });
  if (outcome instanceof ConnectChatError && outcome.status === 503) {
    await settle(run, 'release', itemKey, owner);
    return failure(run, outcome);
  }
  // Refused for good counts as handled: a redelivery of the same item is a duplicate, not a retry loop.
  await settle(run, 'complete', itemKey, owner);
  if (outcome instanceof ConnectChatError) {
    run.logger.warn('connect-chat: agent reply refused by the channel', { itemId: message.id, code: outcome.code, reason: outcome.message });
    notify(run, 'onDeliveryFailed', { message, session, reason: outcome.message, error: outcome });
    return ok('refused');
  }
  run.logger.info('connect-chat: agent reply delivered', { itemId: message.id, provider: deliverer.provider, parts: parts.length });
  notify(run, 'onDelivered', { message, session, parts: parts.length });
  return ok('delivered');
}

interface Parts {
  message: AgentMessage;
  session: ChatSession;
  deliverer: Deliverer;
  parts: string[];
  owner: string;
  deadline: WebhookDeadline;
}

async function deliverParts(run: ReplyRun, { message, session, deliverer, parts, owner, deadline }: Parts): Promise<ConnectChatError | undefined> {
  for (const [index, text] of parts.entries()) {
    // One part: the item's claim covers it. Several: each part has its own, so a retry skips the delivered ones.
    const key = parts.length === 1 ? undefined : idempotencyKey('connect', message.id, index + 1);
    if (key !== undefined) {
      const claim = await claimOf(run, key, owner);
      if (claim instanceof ConnectChatError) return claim;
      if (claim === 'completed') continue;
      if (claim === 'in-flight') return new ConnectChatError('DUPLICATE_IN_FLIGHT', 'A part of this reply is being delivered right now; retry later.');
    }
    if (deadline.remainingMs() <= 0) {
      if (key !== undefined) await settle(run, 'release', key, owner);
      return new ConnectChatError('DEADLINE_EXCEEDED', 'The webhook deadline passed before the reply was delivered; retry later.');
    }
    const failed = await deliverer
      .deliver(
        { address: session.address!, text, idempotencyKey: key ?? idempotencyKey('connect', message.id) },
        { signal: AbortSignal.timeout(Math.max(1, Math.ceil(deadline.remainingMs()))) },
      )
      .then(
        () => undefined,
        (error: unknown) =>
          ConnectChatError.is(error)
            ? error
            : new ConnectChatError('CHANNEL_UNAVAILABLE', `${deliverer.provider}: the deliverer failed unexpectedly`, { cause: error }),
      );
    if (key !== undefined) await settle(run, failed && failed.status === 503 ? 'release' : 'complete', key, owner);
    if (failed) return failed;
  }
  return undefined;
}

async function askOnAgentMessage(run: ReplyRun, message: AgentMessage, session: ChatSession): Promise<false | undefined | ConnectChatError> {
  if (!run.hooks.onAgentMessage) return undefined;
  try {
    return (await run.hooks.onAgentMessage(message, session)) === false ? false : undefined;
  } catch (cause) {
    return new ConnectChatError('INTERNAL', 'the onAgentMessage hook threw; the reply was not delivered', { cause });
  }
}

async function claimOf(run: ReplyRun, key: string, owner: string): Promise<'claimed' | 'in-flight' | 'completed' | ConnectChatError> {
  if (!run.idempotency) return 'claimed';
  try {
    return await run.idempotency.claim(key, owner);
  } catch (cause) {
    return new ConnectChatError('IDEMPOTENCY_UNAVAILABLE', 'The idempotency store failed; nothing was delivered.', { cause });
  }
}

async function settle(run: ReplyRun, action: 'complete' | 'release', key: string, owner: string): Promise<void> {
  if (!run.idempotency) return;
  try {
    await (action === 'complete' ? run.idempotency.complete(key) : run.idempotency.release(key, owner));
  } catch (error) {
    run.logger.error(`connect-chat: the idempotency store failed to ${action} a reply's claim`, { key, error });
  }
}

async function withSessions<T>(call: () => Promise<T>): Promise<T | ConnectChatError> {
  try {
    return await call();
  } catch (cause) {
    return new ConnectChatError('SESSION_STORE_UNAVAILABLE', 'The session store failed; retry later.', { cause });
  }
}

function ignored(run: ReplyRun, info: { reason: string; itemId?: string; initialContactId?: string }): OutboundResponse {
  run.logger.debug('connect-chat: stream item not forwarded', info);
  notify(run, 'onIgnored', info);
  return ok('ignored');
}

function failure(run: ReplyRun, error: ConnectChatError): OutboundResponse {
  const level = error.status === 503 ? 'warn' : 'error';
  run.logger[level]('connect-chat: agent reply not delivered yet', { code: error.code, reason: error.message });
  return sendFailureResponse(error, { retryAfterSeconds: run.retryAfterSeconds });
}

function ok(outcome: Outcome): OutboundResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ status: 'ok', outcome }),
  };
}

/** Observer hooks: a throw or rejection is logged, never changes the answer. */
function notify<K extends 'onDelivered' | 'onDeliveryFailed' | 'onIgnored'>(run: ReplyRun, name: K, info: Parameters<NonNullable<ReplyHooks[K]>>[0]): void {
  const hook = run.hooks[name] as ((value: typeof info) => unknown) | undefined;
  if (!hook) return;
  const report = (error: unknown) => run.logger.warn(`connect-chat: the ${name} hook threw; the outcome is unchanged`, { error });
  try {
    Promise.resolve(hook(info)).catch(report);
  } catch (error) {
    report(error);
  }
}
