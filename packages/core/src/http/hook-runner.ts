import type { Logger } from '../logger.ts';
import type { HandleOptions, WebhookHooks } from './handler-types.ts';

/** The hooks that observe outcomes; unlike `onMessage`, they can never change one. */
export type ObserverHooks = Omit<WebhookHooks, 'onMessage'>;

/** One request's observer hooks: `notify` never throws and never waits. */
export interface HookRunner {
  notify<K extends keyof ObserverHooks>(name: K, argument: Parameters<NonNullable<ObserverHooks[K]>>[0]): void;
  /** Resolves when hooks not handed to `waitUntil` are done. */
  settled(): Promise<void>;
}

/**
 * Runs observer hooks so that they never change an outcome: a throw is logged. Where the runtime
 * offers `waitUntil`, hook work runs after the response; elsewhere the response waits for it, so
 * nothing is lost on runtimes that stop at the response.
 */
export function observerHooks(hooks: WebhookHooks, logger: Logger, providerName: string, options: HandleOptions): HookRunner {
  const pending: Promise<void>[] = [];
  const threw = (name: string) => (error: unknown) => {
    logger.error(`connect-chat: the ${name} hook threw; ignored`, { provider: providerName, error });
  };
  return {
    notify(name, argument) {
      const hook = hooks[name] as ((argument: unknown) => unknown) | undefined;
      if (!hook) return;
      let returned: unknown;
      try {
        returned = hook.call(hooks, argument);
      } catch (error) {
        threw(name)(error);
        return;
      }
      // A hook that finished as it returned (a log line) leaves nothing to wait for.
      if (!isThenable(returned)) return;
      const run = Promise.resolve(returned).then(() => undefined, threw(name));
      if (options.waitUntil) {
        try {
          options.waitUntil(run);
          return;
        } catch (error) {
          logger.warn('connect-chat: waitUntil() threw; waiting for the hook before answering', { error });
        }
      }
      pending.push(run);
    },
    async settled() {
      if (pending.length > 0) await Promise.all(pending);
    },
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
