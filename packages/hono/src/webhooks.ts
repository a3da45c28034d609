import { ConnectChatError } from '@connect-chat/core';
import type { ConnectChat } from '@connect-chat/core';
import type { Context, MiddlewareHandler } from 'hono';
import { describeValue } from './describe-value.ts';
import { respond } from './respond.ts';

/**
 * A bridge, or a function building it from the request's context (secrets in `c.env`).
 *
 * @example
 * const source: ConnectChatSource = fromEnv((env: Bindings) => createConnectChat(optionsFrom(env)));
 */
export type ConnectChatSource = ConnectChat | ((c: Context) => ConnectChat);

/**
 * Middleware serving every provider route of a bridge (`/webhooks/<provider>` by default). Other
 * paths go on to `next()`, so it can sit in front of the rest of an app.
 *
 * @example
 * const app = new Hono();
 * app.use(webhooks(createConnectChat({ providers, route: { destination: 'arn:…' } })));
 * app.get('/healthz', (c) => c.text('ok'));
 */
export function webhooks(source: ConnectChatSource): MiddlewareHandler {
  if (typeof source !== 'function' && !isConnectChat(source)) {
    throw new ConnectChatError('INVALID_OPTIONS', `webhooks(chat): expected a ConnectChat or a function (c) => ConnectChat, got ${describeValue(source)}`);
  }
  return async (c, next) => {
    const chat = typeof source === 'function' ? source(c) : source;
    if (!isConnectChat(chat)) {
      throw new ConnectChatError('INVALID_OPTIONS', `webhooks((c) => chat): expected the function to return a ConnectChat, got ${describeValue(chat)}`);
    }
    const handler = chat.match(c.req.path);
    if (!handler) return next();
    return respond(handler, c);
  };
}

function isConnectChat(value: unknown): value is ConnectChat {
  return typeof value === 'object' && value !== null && typeof (value as ConnectChat).match === 'function';
}
