import { ConnectChatError } from '@connect-chat/core';
import type { WebhookHandler } from '@connect-chat/core';
import type { Context, Handler } from 'hono';
import { describeValue } from './describe-value.ts';
import { respond } from './respond.ts';

/**
 * A webhook handler, or a function building it from the request's context (secrets in `c.env`).
 *
 * @example
 * const twilio: WebhookHandlerSource = (c) => chatFor(c).handler('twilio');
 */
export type WebhookHandlerSource = WebhookHandler | ((c: Context) => WebhookHandler);

/**
 * A Hono handler for one provider's webhook route. It answers with exactly what core decides.
 *
 * @example
 * const chat = createConnectChat({ providers: [createTwilioProvider({ authToken })], route: { destination } });
 * app.post('/webhooks/twilio', webhook(chat.handler('twilio')));
 * // `all` lets core answer a wrong method with 405 + Allow instead of Hono's 404.
 * app.all('/webhooks/whatsapp', webhook((c) => chatFor(c).handler('whatsapp')));
 */
export function webhook(source: WebhookHandlerSource): Handler {
  if (typeof source !== 'function' && !isWebhookHandler(source)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `webhook(handler): expected a WebhookHandler or a function (c) => WebhookHandler, got ${describeValue(source)}`,
    );
  }
  return async (c: Context): Promise<Response> => {
    const handler = typeof source === 'function' ? source(c) : source;
    if (!isWebhookHandler(handler)) {
      throw new ConnectChatError('INVALID_OPTIONS', `webhook((c) => handler): expected the function to return a WebhookHandler, got ${describeValue(handler)}`);
    }
    return respond(handler, c);
  };
}

function isWebhookHandler(value: unknown): value is WebhookHandler {
  return typeof value === 'object' && value !== null && typeof (value as WebhookHandler).handle === 'function';
}
