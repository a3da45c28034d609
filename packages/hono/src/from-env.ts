import { ConnectChatError } from '@connect-chat/core';
import { describeValue } from './describe-value.ts';

const noEnv = {};

/**
 * Builds a value (usually a `ConnectChat`) from the request's bindings once per `c.env` object and
 * reuses it, so the sender's rate limit and the idempotency store outlive a single request.
 * Workers hand the same `env` object to every request of an isolate. On Node and Deno, Hono's
 * `c.env` is a new object per request: there, build once from `process.env`/`Deno.env` instead.
 * A build that throws is not cached, so a fixed secret takes effect on the next request.
 *
 * @example
 * type Bindings = { TWILIO_AUTH_TOKEN: string; CONNECT_DESTINATION_ID: string };
 * const chatFor = fromEnv((env: Bindings) => createConnectChat({
 *   providers: [createTwilioProvider({ authToken: env.TWILIO_AUTH_TOKEN })],
 *   route: { destination: env.CONNECT_DESTINATION_ID },
 * }));
 * const app = new Hono<{ Bindings: Bindings }>();
 * app.use(webhooks(chatFor));
 */
export function fromEnv<B extends object, T>(build: (env: B) => T): (c: { readonly env: unknown }) => T {
  if (typeof build !== 'function') {
    throw new ConnectChatError('INVALID_OPTIONS', `fromEnv(build): expected a function (env) => value, got ${describeValue(build)}`);
  }
  const built = new WeakMap<object, T>();
  return (c) => {
    const env: object = typeof c.env === 'object' && c.env !== null ? c.env : noEnv;
    if (built.has(env)) return built.get(env) as T;
    const value = build(env as B);
    built.set(env, value);
    return value;
  };
}
