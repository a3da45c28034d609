import { ConnectChatError, writeNodeResponse } from '@connect-chat/core';
import type { ConnectChat, WebhookHandler } from '@connect-chat/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toInboundRequest } from './to-inbound-request.ts';

/**
 * Express handler for one provider's webhook. Core decides every status code; this only converts.
 *
 * @example
 * const chat = createConnectChat({ providers: [createTwilioProvider({ authToken })], route: { destination } });
 * app.post('/webhooks/twilio', webhook(chat.handler('twilio')));
 * app.all('/webhooks/whatsapp', webhook(chat.handler('whatsapp'))); // GET challenge + POST events
 */
export function webhook(handler: WebhookHandler): RequestHandler {
  if (typeof handler?.handle !== 'function') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `webhook(handler): expected a WebhookHandler such as chat.handler('twilio'), got ${describe(handler, 'handle')}`,
    );
  }
  return (req, res, next) => respond(handler, req, res, next);
}

/**
 * Express middleware for every provider of a bridge: answers the paths in `chat.paths`
 * (relative to where it is mounted) and calls `next()` untouched for every other request.
 *
 * @example
 * const app = express();
 * app.use(webhooks(createConnectChat(options))); // before any body parser, or see the README
 * app.use(express.json());
 */
export function webhooks(chat: ConnectChat): RequestHandler {
  if (typeof chat?.match !== 'function') {
    throw new ConnectChatError('INVALID_OPTIONS', `webhooks(chat): expected a ConnectChat from createConnectChat(), got ${describe(chat, 'match')}`);
  }
  return (req, res, next) => {
    const handler = chat.match(req.path);
    if (handler) respond(handler, req, res, next);
    else next();
  };
}

// handle() never rejects; a throw here is an adapter bug, so Express's error handler sees it (v4 too).
function respond(handler: WebhookHandler, req: Request, res: Response, next: NextFunction): void {
  Promise.resolve()
    .then(() => handler.handle(toInboundRequest(req, res)))
    .then((response) => writeNodeResponse(res, response))
    .catch(next);
}

function describe(value: unknown, method: string): string {
  return value === null ? 'null' : typeof value === 'object' ? `an object without ${method}()` : typeof value;
}
