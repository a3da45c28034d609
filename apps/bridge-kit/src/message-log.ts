import type { Logger, WebhookHooks } from '@connect-chat/core';

/**
 * One structured line per inbound message: provider, message id, chat key, outcome, latency.
 * Message text only when `includeBodies` is set (LOG_MESSAGE_BODIES=true); never secrets.
 */
export function messageLogHooks(logger: Logger, includeBodies: boolean): WebhookHooks {
  return {
    onOutcome(outcome) {
      const line = {
        provider: outcome.provider,
        messageId: outcome.messageId,
        chatKey: outcome.chatKey,
        outcome: outcome.outcome,
        status: outcome.status,
        code: outcome.code,
        latencyMs: Math.round(outcome.durationMs),
        ...(includeBodies && outcome.message?.text !== undefined ? { text: outcome.message.text } : {}),
      };
      const level = outcome.status >= 500 ? 'error' : outcome.status >= 400 ? 'warn' : 'info';
      logger[level]('inbound message', line);
    },
  };
}
