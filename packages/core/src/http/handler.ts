import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { maxMessageIdLength } from '../idempotency/keys.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import type { ParseResult, ProviderContext } from '../providers/types.ts';
import type { InboundRequest, OutboundResponse } from '../wire/types.ts';
import { createMessageDelivery, type DeliveryContext, type MessageDelivery } from './deliver-message.ts';
import { type ResolvedOptions, resolveOptions } from './handler-options.ts';
import type { HandleOptions, WebhookHandler, WebhookHandlerOptions } from './handler-types.ts';
import { type HookRunner, observerHooks } from './hook-runner.ts';
import type { MessageResult } from './message-result.ts';
import { receive } from './receive.ts';
import { createResponder } from './respond.ts';
import { errorResponse, internalErrorMessage } from './responses.ts';
import { fromWebRequest, toWebResponse } from './web.ts';
import { startWebhookDeadline } from './webhook-deadline.ts';

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
  const { provider, logger, retryAfterSeconds } = config;
  const delivery = createMessageDelivery(config);
  const responder = createResponder(config);

  // Requests being handled: a shutdown that cut their connections must still wait for their sends.
  const inProgress = new Set<Promise<unknown>>();

  function handle(request: InboundRequest, handleOptions: HandleOptions = {}): Promise<OutboundResponse> {
    const work = handleOne(request, handleOptions);
    const tracked = work.catch(() => undefined);
    inProgress.add(tracked);
    void tracked.then(() => inProgress.delete(tracked));
    return work;
  }

  async function handleOne(request: InboundRequest, handleOptions: HandleOptions): Promise<OutboundResponse> {
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
    const started = performance.now();
    const context: DeliveryContext = { deadline: startWebhookDeadline(config.deadlineMs), waitUntil: handleOptions.waitUntil };
    let parsed: ParseResult;
    try {
      parsed = await verifyAndParse(config, request, handleOptions);
    } catch (error) {
      return responder.refused(error, hooks, performance.now() - started);
    }
    if (parsed.kind === 'reply') {
      if (parsed.ignored) hooks.notify('onIgnored', parsed.ignored);
      logger.debug('connect-chat: answered the provider directly', { provider: provider.name, status: parsed.response.status });
      return parsed.response;
    }
    for (const ignored of parsed.ignored) hooks.notify('onIgnored', ignored);
    return responder.answer(await deliverInOrder(delivery, parsed.messages, context), parsed.ignored.length, hooks);
  }

  return {
    provider,
    handle,
    async fetch(request, handleOptions) {
      return toWebResponse(await handle(fromWebRequest(request), handleOptions));
    },
    async settled() {
      while (inProgress.size > 0) await Promise.allSettled([...inProgress]);
      await delivery.settled();
    },
  };
}

async function verifyAndParse(config: ResolvedOptions, request: InboundRequest, handleOptions: HandleOptions): Promise<ParseResult> {
  const { provider, logger, retryAfterSeconds } = config;
  const limits = { providerName: provider.name, methods: config.methods, contentTypes: config.contentTypes, maxBodyBytes: config.maxBodyBytes };
  const context: ProviderContext = {
    logger,
    fetch: config.fetch,
    retryAfterSeconds,
    // Read only if a provider asks (SNS): servers such as @hono/node-server build it on first read.
    get signal() {
      return request.signal;
    },
  };
  if (handleOptions.env !== undefined) context.env = handleOptions.env;
  const received = await receive(request, limits);
  await provider.verify(received, context);
  const parsed = await provider.parse(received, context);
  checkParseResult(parsed);
  checkMessageIds(parsed);
  return parsed;
}

/**
 * Each message in order. A permanent refusal (422) fails the same way on every retry, so the
 * valid messages after it are still sent; any other failure stops the delivery, so the
 * provider's retry sends the rest in order.
 */
async function deliverInOrder(delivery: MessageDelivery, messages: readonly InboundMessage[], context: DeliveryContext): Promise<MessageResult[]> {
  const results: MessageResult[] = [];
  for (const message of messages) {
    const result = await delivery.deliver(message, context);
    results.push(result);
    if (result.outcome === 'failed' && result.error.status !== 422) break;
  }
  return results;
}

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
