import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { idempotencyKey, maxMessageIdLength } from '../idempotency/keys.ts';
import type { ClaimResult, IdempotencyStore } from '../idempotency/types.ts';
import { chatKeyOf } from '../model/chat-key.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { assertValidChatIntegrationEvent } from '../model/validate.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { ParseResult, ProviderContext } from '../providers/types.ts';
import { toChatIntegrationEvents } from '../routing/route.ts';
import type { SendResult } from '../sender/types.ts';
import { resolveOptions, truncate } from './handler-options.ts';
import type { HandleOptions, WebhookHandler, WebhookHandlerOptions, WebhookHooks } from './handler-types.ts';
import { type HookRunner, observerHooks } from './hook-runner.ts';
import { readBody } from './read-body.ts';
import { type DeliverySummary, errorResponse, errorResponseFor, internalErrorMessage, okResponse, sendFailureResponse } from './responses.ts';
import type { InboundRequest, OutboundResponse, ReceivedRequest } from '../wire/types.ts';
import { fromWebRequest, toWebResponse } from './web.ts';
import { deadlinePassed, startWebhookDeadline, type WebhookDeadline } from './webhook-deadline.ts';

const utf8 = new TextDecoder();

type MessageOutcome = 'sent' | 'duplicate' | 'ignored';

/** What every message of one webhook request shares. */
interface DeliveryContext {
  deadline: WebhookDeadline;
  waitUntil: HandleOptions['waitUntil'];
}

/** Filled in by `deliver` as it learns more, for the `onOutcome` hook. */
interface MessageTrace {
  chatKey?: string;
}

/**
 * One provider's webhook endpoint, framework-neutral: limits, verification, parsing, routing,
 * validation, deduplication and sending, ending in exactly one status per the status-code
 * invariant. `handle` never rejects. A message is answered 2xx only once Connect accepted it (or
 * it was a duplicate of one it accepted, or it was ignored on purpose); in a delivery of several
 * messages, those before a transient failure stay sent and the provider's retry sends only the
 * rest, and a message refused for good (422) does not keep the others from being sent.
 *
 * Idempotency keys are `<provider>:<message id>`; a message carried by several events (long text
 * split into parts) claims each event as `<provider>:<message id>#<part>`, so a retry after a
 * partial failure sends only the parts Connect has not accepted yet.
 *
 * @example
 * const handler = createWebhookHandler({
 *   provider: createTwilioProvider({ authToken: process.env.TWILIO_AUTH_TOKEN! }),
 *   sender: createSender({ region: 'us-east-1' }),
 *   route: { destination: { '+12125550101': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' } },
 * });
 * // Web runtimes (Bun, Deno, Workers):
 * export default { fetch: (request: Request) => handler.fetch(request) };
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const config = resolveOptions(options);
  const { provider, sender, route, store, logger, retryAfterSeconds } = config;
  const allowUnknownSubtype = route.allowUnknownSubtype === true;

  async function handle(request: InboundRequest, handleOptions: HandleOptions = {}): Promise<OutboundResponse> {
    const hooks = observerHooks(config.hooks, logger, provider.name, handleOptions);
    try {
      return await receiveAndDeliver(request, handleOptions, hooks);
    } catch (error) {
      // A bug (ours, a provider's, a store's) must still end in a response, and never leak details.
      logger.error('connect-chat: unexpected failure while handling a webhook', { provider: provider.name, error });
      return errorResponse('INTERNAL', internalErrorMessage, { retryAfterSeconds });
    } finally {
      await hooks.settled();
    }
  }

  async function receiveAndDeliver(request: InboundRequest, handleOptions: HandleOptions, hooks: HookRunner): Promise<OutboundResponse> {
    const requestStarted = performance.now();
    const delivery: DeliveryContext = { deadline: startWebhookDeadline(config.deadlineMs), waitUntil: handleOptions.waitUntil };
    const context: ProviderContext = { logger, fetch: config.fetch, retryAfterSeconds };
    if (handleOptions.env !== undefined) context.env = handleOptions.env;
    if (request.signal !== undefined) context.signal = request.signal;
    let parsed: ParseResult;
    try {
      const received = await receive(request);
      await provider.verify(received, context);
      parsed = await provider.parse(received, context);
      checkParseResult(parsed);
      checkMessageIds(parsed);
    } catch (error) {
      const response = refuse(error, hooks);
      hooks.notify('onOutcome', {
        provider: provider.name,
        outcome: 'rejected',
        status: response.status,
        code: errorCodeOf(response),
        durationMs: performance.now() - requestStarted,
      });
      return response;
    }
    if (parsed.kind === 'reply') {
      if (parsed.ignored) hooks.notify('onIgnored', parsed.ignored);
      logger.debug('connect-chat: answered the provider directly', { provider: provider.name, status: parsed.response.status });
      return parsed.response;
    }
    const summary: DeliverySummary = { sent: 0, duplicates: 0, ignored: parsed.ignored.length };
    for (const ignored of parsed.ignored) hooks.notify('onIgnored', ignored);
    // A permanent refusal (422) fails the same way on every retry: stopping there would keep the
    // valid messages after it from ever being sent. Transient failures still stop the delivery,
    // so the provider's retry sends the rest in order.
    let refused: OutboundResponse | undefined;
    for (const message of parsed.messages) {
      const started = performance.now();
      const trace: MessageTrace = {};
      const outcome = await deliver(message, delivery, hooks, trace);
      reportOutcome(hooks, message, outcome, trace, started);
      if (typeof outcome !== 'string') {
        if (outcome.status !== 422) return outcome;
        refused ??= outcome;
        continue;
      }
      if (outcome === 'sent') summary.sent++;
      else if (outcome === 'duplicate') summary.duplicates++;
      else summary.ignored++;
    }
    logger.debug('connect-chat: delivery handled', { provider: provider.name, ...summary, refused: refused !== undefined });
    return refused ?? acknowledge(summary);
  }

  /** Limits, then the body within its limit: everything a provider needs to verify. */
  async function receive(request: InboundRequest): Promise<ReceivedRequest> {
    const method = String(request.method).toUpperCase();
    if (!config.methods.includes(method)) {
      throw new ConnectChatError('METHOD_NOT_ALLOWED', `${method} is not accepted here; use ${config.methods.join(' or ')}.`);
    }
    const accepted = config.contentTypes.get(method);
    if (accepted) {
      const header = request.headers.get('content-type');
      const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!accepted.includes(mediaType)) {
        throw new ConnectChatError(
          'UNSUPPORTED_MEDIA_TYPE',
          `Content-Type ${header ? JSON.stringify(truncate(header, 100)) : '(missing)'} is not accepted; ${provider.name} sends ${accepted.join(' or ')}.`,
        );
      }
    }
    const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
    if (declaredLength > config.maxBodyBytes) {
      throw new ConnectChatError('PAYLOAD_TOO_LARGE', `The request body is larger than ${config.maxBodyBytes} bytes.`);
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch (cause) {
      throw new ConnectChatError('MALFORMED_PAYLOAD', 'The request URL is not a valid absolute URL.', { cause });
    }
    let body: Uint8Array;
    try {
      body = await readBody(request.body, config.maxBodyBytes);
    } catch (error) {
      if (ConnectChatError.is(error)) throw error;
      // The client went away or the stream broke mid-body: bad input, not a server fault.
      throw new ConnectChatError('MALFORMED_PAYLOAD', 'The request body could not be read to the end.', { cause: error });
    }
    return { method, url, headers: request.headers, body, text: utf8.decode(body) };
  }

  function refuse(error: unknown, hooks: HookRunner): OutboundResponse {
    const known = ConnectChatError.is(error);
    const code = known ? error.code : 'INTERNAL';
    const response = known
      ? errorResponseFor(error, { allow: config.methods, retryAfterSeconds })
      : errorResponse('INTERNAL', internalErrorMessage, { retryAfterSeconds });
    const reason = known && code !== 'INTERNAL' ? error.message : internalErrorMessage;
    if (response.status >= 500) logger.error('connect-chat: webhook refused', { provider: provider.name, status: response.status, code, error });
    else logger.warn('connect-chat: webhook refused', { provider: provider.name, status: response.status, code, reason });
    hooks.notify('onRejected', { provider: provider.name, status: response.status, code, reason });
    return response;
  }

  /** One message, start to end: its outcome, or the response that ends the delivery. */
  async function deliver(
    original: InboundMessage,
    context: DeliveryContext,
    hooks: HookRunner,
    trace: MessageTrace,
  ): Promise<MessageOutcome | OutboundResponse> {
    if (typeof original?.id !== 'string' || original.id.length === 0) {
      // Deduplicating on an empty id would drop every later message as a duplicate.
      return internalFailure(new Error(`provider ${provider.name} produced a message without an id`), hooks, undefined, undefined);
    }
    let message = original;
    if (config.hooks.onMessage) {
      let verdict: InboundMessage | false | undefined;
      try {
        verdict = await config.hooks.onMessage(original);
        if (verdict !== undefined && verdict !== false && (typeof verdict !== 'object' || verdict === null)) {
          throw new TypeError(`onMessage returned ${typeof verdict}; expected a message, false or nothing`);
        }
      } catch (error) {
        logger.error('connect-chat: the onMessage hook threw; nothing was sent for this message', { provider: provider.name, messageId: original.id, error });
        return errorResponse('INTERNAL', internalErrorMessage, { retryAfterSeconds });
      }
      if (verdict === false) {
        hooks.notify('onIgnored', { provider: provider.name, reason: `message ${original.id} vetoed by the onMessage hook`, raw: original.raw });
        return 'ignored';
      }
      if (verdict) message = verdict;
    }

    let events: ChatIntegrationEvent[];
    let event: ChatIntegrationEvent | undefined;
    try {
      events = await toChatIntegrationEvents(message, route);
      if (events[0]) trace.chatKey = chatKeyOf(events[0]);
      for (event of events) assertValidChatIntegrationEvent(event, { allowUnknownSubtype });
    } catch (error) {
      return failure(error, hooks, message, event);
    }

    // The provider's own id, whatever a hook changed: it is what the provider's retry carries.
    const sent = await sendEvents(original.id, events, context, hooks, message);
    if (!Array.isArray(sent)) return sent;
    if (sent.length === 0) {
      logger.debug('connect-chat: duplicate delivery, nothing re-sent', { provider: provider.name, messageId: original.id });
      return 'duplicate';
    }
    hooks.notify('onSent', { message, events: sent.map(([event]) => event), results: sent.map(([, result]) => result) });
    return 'sent';
  }

  /**
   * Claims and sends each event of one message in order; the events sent, or the response that
   * ends the delivery. Past the webhook's deadline nothing new starts, and a send still running is
   * left to finish in the background: its claim is settled when it ends, so the provider's retry
   * finds it in flight (503) or done (a duplicate), never lost and never sent twice.
   */
  async function sendEvents(
    messageId: string,
    events: ChatIntegrationEvent[],
    context: DeliveryContext,
    hooks: HookRunner,
    message: InboundMessage,
  ): Promise<Array<[ChatIntegrationEvent, SendResult]> | OutboundResponse> {
    // This delivery's claims: a send that outlives its claim cannot release a newer delivery's.
    const owner = crypto.randomUUID();
    const sent: Array<[ChatIntegrationEvent, SendResult]> = [];
    for (const [index, event] of events.entries()) {
      const key = idempotencyKey(provider.name, messageId, events.length === 1 ? undefined : index + 1);
      if (context.deadline.remainingMs() <= 0) return failure(deadlinePassed(), hooks, message, event);
      let claim: ClaimResult;
      try {
        claim = store ? await store.claim(key, owner) : 'claimed';
        if (!claimResults.includes(claim)) throw new TypeError(`claim() answered ${String(claim)}; expected claimed, in-flight or completed`);
      } catch (cause) {
        return failure(new ConnectChatError('IDEMPOTENCY_UNAVAILABLE', 'The idempotency store failed; nothing was sent.', { cause }), hooks, message, event);
      }
      if (claim === 'completed') continue;
      if (claim === 'in-flight') {
        logger.info('connect-chat: the same message is being sent right now; asking the provider to retry', { provider: provider.name, key });
        return errorResponse('DUPLICATE_IN_FLIGHT', `Message ${messageId} is being sent right now; retry later.`, { retryAfterSeconds });
      }
      // A Sender that throws instead of rejecting still settles its claim.
      const sending = Promise.resolve()
        .then(() => sender.send(event))
        .then(
          async (result) => {
            await settleClaim(store, 'complete', key, owner);
            return result;
          },
          async (error: unknown) => {
            await settleClaim(store, 'release', key, owner);
            throw error;
          },
        );
      let result: SendResult | undefined;
      try {
        result = await context.deadline.race(sending);
      } catch (error) {
        return failure(error, hooks, message, event);
      }
      if (result === undefined) {
        // Settles its claim when it ends; on Workers the runtime must be told to wait for it.
        keepAlive(context, sending);
        return failure(deadlinePassed(), hooks, message, event);
      }
      sent.push([event, result]);
    }
    return sent;
  }

  /** On runtimes that stop at the response (Workers), the send in flight must be waited for. */
  function keepAlive(context: DeliveryContext, sending: Promise<unknown>): void {
    try {
      context.waitUntil?.(sending.catch(() => undefined));
    } catch (error) {
      logger.error('connect-chat: waitUntil threw; the send in flight may be cut short', { provider: provider.name, error });
    }
  }

  async function settleClaim(idempotency: IdempotencyStore | undefined, action: 'complete' | 'release', key: string, owner: string): Promise<void> {
    if (!idempotency) return;
    try {
      await (action === 'complete' ? idempotency.complete(key) : idempotency.release(key, owner));
    } catch (error) {
      // The send's outcome stands; a store failure only weakens deduplication of a later retry.
      logger.error(`connect-chat: the idempotency store failed to ${action} a claim`, { provider: provider.name, key, error });
    }
  }

  function failure(error: unknown, hooks: HookRunner, message: InboundMessage, event: ChatIntegrationEvent | undefined): OutboundResponse {
    if (!ConnectChatError.is(error)) return internalFailure(error, hooks, message, event);
    const status = error.status;
    const fields = { provider: provider.name, messageId: message.id, status, code: error.code, reason: error.message };
    if (status === 503) logger.warn('connect-chat: message not sent (transient); the provider will retry', fields);
    else logger.error('connect-chat: message not sent', { ...fields, error });
    hooks.notify('onError', event ? { error, message, event } : { error, message });
    return sendFailureResponse(error, { retryAfterSeconds });
  }

  function internalFailure(cause: unknown, hooks: HookRunner, message: InboundMessage | undefined, event: ChatIntegrationEvent | undefined): OutboundResponse {
    logger.error('connect-chat: unexpected failure; nothing more was sent', { provider: provider.name, messageId: message?.id, error: cause });
    const error = new ConnectChatError('INTERNAL', 'Unexpected failure while handling the message.', { cause });
    const info: Parameters<NonNullable<WebhookHooks['onError']>>[0] = { error };
    if (message) info.message = message;
    if (event) info.event = event;
    hooks.notify('onError', info);
    return errorResponse('INTERNAL', internalErrorMessage, { retryAfterSeconds });
  }

  function reportOutcome(hooks: HookRunner, message: InboundMessage, outcome: MessageOutcome | OutboundResponse, trace: MessageTrace, started: number): void {
    const failed = typeof outcome !== 'string';
    hooks.notify('onOutcome', {
      provider: provider.name,
      messageId: message?.id,
      ...(trace.chatKey === undefined ? {} : { chatKey: trace.chatKey }),
      outcome: failed ? 'failed' : outcome,
      status: failed ? outcome.status : 200,
      ...(failed ? { code: errorCodeOf(outcome) } : {}),
      durationMs: performance.now() - started,
      message,
    });
  }

  function acknowledge(summary: DeliverySummary): OutboundResponse {
    if (!provider.acknowledge) return okResponse(summary);
    try {
      return provider.acknowledge();
    } catch (error) {
      // Everything was sent: a broken acknowledgement must not make the provider retry.
      logger.error('connect-chat: provider.acknowledge() threw; answering the default body', { provider: provider.name, error });
      return okResponse(summary);
    }
  }

  return {
    provider,
    handle,
    async fetch(request, handleOptions) {
      return toWebResponse(await handle(fromWebRequest(request), handleOptions));
    },
  };
}

/** The `error.code` of one of our own JSON error bodies. */
function errorCodeOf(response: OutboundResponse): string | undefined {
  try {
    return (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}

const claimResults: readonly unknown[] = ['claimed', 'in-flight', 'completed'];

/** Every id must be short enough to deduplicate on: checked before any message is claimed or sent. */
function checkMessageIds(parsed: ParseResult): void {
  if (parsed.kind !== 'messages') return;
  for (const message of parsed.messages) {
    if (typeof message?.id === 'string' && message.id.length > maxMessageIdLength) {
      throw new ConnectChatError('MALFORMED_PAYLOAD', `A message id is longer than ${maxMessageIdLength} characters; it cannot be deduplicated.`);
    }
  }
}

function checkParseResult(parsed: unknown): asserts parsed is ParseResult {
  const result = parsed as Partial<Record<string, unknown>> | null;
  const ok =
    typeof result === 'object' &&
    result !== null &&
    ((result.kind === 'reply' && typeof result.response === 'object' && result.response !== null) ||
      (result.kind === 'messages' && Array.isArray(result.messages) && Array.isArray(result.ignored)));
  if (!ok) throw new Error('provider.parse() returned neither a reply nor messages');
}
