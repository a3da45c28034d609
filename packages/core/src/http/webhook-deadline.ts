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
    race<T>(work: Promise<T>) {
      // One promise and one timer per send (a race of two promises and a finally cost four more).
      return new Promise<T | undefined>((resolve, reject) => {
        const timer = setTimeout(resolve, Math.max(0, remainingMs()), undefined);
        work.then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      });
    },
  };
}

/** The error a message gets when the webhook's deadline passed before it was sent. */
export function deadlinePassed(): ConnectChatError {
  return new ConnectChatError('DEADLINE_EXCEEDED', 'The webhook deadline passed before this message was sent; retry later.');
}
