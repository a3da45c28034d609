import { ConnectChatError } from '../errors/connect-chat-error.ts';

/** The one deadline a webhook request shares across all its messages and parts. */
export interface WebhookDeadline {
  remainingMs(): number;
  /** `work`'s value, or `undefined` once the deadline passes first (`work` goes on regardless). */
  race<T>(work: Promise<T>): Promise<T | undefined>;
}

/** A deadline `ms` from now. */
export function startWebhookDeadline(ms: number): WebhookDeadline {
  const endsAt = performance.now() + ms;
  const remainingMs = () => endsAt - performance.now();
  return {
    remainingMs,
    race(work) {
      let cancel = () => {};
      const passed = new Promise<undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), Math.max(0, remainingMs()));
        cancel = () => clearTimeout(timer);
      });
      return Promise.race([work, passed]).finally(() => cancel());
    },
  };
}

/** The error a message gets when the webhook's deadline passed before it was sent. */
export function deadlinePassed(): ConnectChatError {
  return new ConnectChatError('DEADLINE_EXCEEDED', 'The webhook deadline passed before this message was sent; retry later.');
}
