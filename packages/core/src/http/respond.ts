import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { OutboundResponse } from '../wire/types.ts';
import type { ResolvedOptions } from './handler-options.ts';
import type { HookRunner } from './hook-runner.ts';
import type { MessageResult } from './message-result.ts';
import { type DeliverySummary, errorResponseFor, internalErrorMessage, okResponse, sendFailureResponse } from './responses.ts';

/**
 * The status-code invariant in one place. Every message result fires its hooks exactly once
 * (`onSent`, `onIgnored`, `onError`, and `onOutcome` for all) and the delivery gets one answer:
 * the first failure that is not a permanent refusal (so the provider retries the rest in order),
 * else the first permanent refusal (422), else 2xx — the provider's acknowledgement or the summary.
 */
export function createResponder(config: ResolvedOptions) {
  const { provider, logger, retryAfterSeconds } = config;
  const name = provider.name;

  /** A request refused before any message: a limit, the signature, the payload's shape. */
  function refused(thrown: unknown, hooks: HookRunner, durationMs: number): OutboundResponse {
    const error = ConnectChatError.is(thrown) ? thrown : new ConnectChatError('INTERNAL', 'unexpected failure', { cause: thrown });
    const response = errorResponseFor(error, { allow: config.methods, retryAfterSeconds });
    const reason = error.code === 'INTERNAL' ? internalErrorMessage : error.message;
    if (response.status >= 500) logger.error('connect-chat: webhook refused', { provider: name, status: response.status, code: error.code, error });
    else logger.warn('connect-chat: webhook refused', { provider: name, status: response.status, code: error.code, reason });
    hooks.notify('onRejected', { provider: name, status: response.status, code: error.code, reason });
    hooks.notify('onOutcome', { provider: name, outcome: 'rejected', status: response.status, code: error.code, durationMs });
    return response;
  }

  /** The answer for the messages of one delivery, after reporting each of them. */
  function answer(results: readonly MessageResult[], ignoredByProvider: number, hooks: HookRunner): OutboundResponse {
    for (const result of results) report(config, result, hooks);
    const failures = results.filter((result) => result.outcome === 'failed');
    const decisive = failures.find((result) => result.error.status !== 422) ?? failures[0];
    if (decisive) return sendFailureResponse(decisive.error, { retryAfterSeconds });
    const count = (outcome: MessageResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
    return acknowledge({ sent: count('sent'), queued: count('queued'), duplicates: count('duplicate'), ignored: ignoredByProvider + count('ignored') });
  }

  function acknowledge(summary: DeliverySummary): OutboundResponse {
    if (!provider.acknowledge) return okResponse(summary);
    try {
      return provider.acknowledge();
    } catch (error) {
      // Everything was sent: a broken acknowledgement must not make the provider retry.
      logger.error('connect-chat: provider.acknowledge() threw; answering the default body', { provider: name, error });
      return okResponse(summary);
    }
  }

  return { refused, answer };
}

/** Each message's hooks, once: what it became, and `onOutcome` for every message. */
function report(config: ResolvedOptions, result: MessageResult, hooks: HookRunner): void {
  const name = config.provider.name;
  const { message } = result;
  if (result.outcome === 'sent') hooks.notify('onSent', { message, events: result.events, results: result.results });
  if (result.outcome === 'ignored') hooks.notify('onIgnored', { provider: name, reason: result.reason, raw: message.raw });
  if (result.outcome === 'failed') reportFailure(config, result, hooks);
  const status = result.outcome === 'failed' ? result.error.status : 200;
  hooks.notify('onOutcome', {
    provider: name,
    messageId: message?.id,
    ...(result.chatKey === undefined ? {} : { chatKey: result.chatKey }),
    outcome: result.outcome,
    status,
    ...(result.outcome === 'failed' ? { code: result.error.code } : {}),
    durationMs: result.durationMs,
    message,
  });
}

function reportFailure(config: ResolvedOptions, result: Extract<MessageResult, { outcome: 'failed' }>, hooks: HookRunner): void {
  const { logger } = config;
  const name = config.provider.name;
  const { error, message, event } = result;
  const fields = { provider: name, messageId: message?.id, status: error.status, code: error.code, reason: error.message };
  // The same message being sent right now is not a failure of it: the provider's retry will see the outcome.
  if (error.code === 'DUPLICATE_IN_FLIGHT') {
    logger.info('connect-chat: the same message is being sent right now; asking the provider to retry', fields);
    return;
  }
  if (error.code === 'INTERNAL') logger.error(`connect-chat: ${error.message}; nothing more was sent`, { ...fields, error: error.cause ?? error });
  else if (error.status === 503) logger.warn('connect-chat: message not sent (transient); the provider will retry', fields);
  else logger.error('connect-chat: message not sent', { ...fields, error });
  hooks.notify('onError', { error, ...(message ? { message } : {}), ...(event ? { event } : {}) });
}
