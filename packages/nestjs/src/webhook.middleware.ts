import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromNodeRequest, writeNodeResponse } from '@connect-chat/core';
import type { RawBody, WebhookHandler } from '@connect-chat/core';

/** The request as a Nest middleware sees it: Express's request, or Fastify's raw Node request. */
export type MiddlewareRequest = IncomingMessage & { originalUrl?: string; protocol?: string; host?: string; rawBody?: unknown };

/**
 * A Nest functional middleware serving one provider's webhook at `path`, on Express and Fastify.
 * Core decides every status code; this converts the request and writes the response verbatim.
 */
export function webhookMiddleware(path: string, handler: WebhookHandler) {
  return (req: MiddlewareRequest, res: ServerResponse, next: () => void): Promise<void> | void => {
    // Nest mounts middleware by prefix and may add a global prefix: sub-paths are not ours.
    if (!pathnameOf(req).endsWith(path)) return next();
    // A body Nest's parser consumed without keeping the bytes is handed over as parsed: core refuses it.
    return serve(handler, req, res);
  };
}

/** The request's path without query or trailing slash, as routes are matched. */
export function pathnameOf(req: MiddlewareRequest): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0]!.replace(/(.)\/$/, '$1');
}

/** Hands the request to core (with `body` in place of the stream, when given) and writes core's answer verbatim. */
export function serve(handler: WebhookHandler, req: MiddlewareRequest, res: ServerResponse, body?: RawBody): Promise<void> {
  // Express's protocol and host honour its `trust proxy` setting; Fastify's raw request has neither.
  const request = fromNodeRequest(req, {
    ...(req.protocol ? { protocol: req.protocol } : {}),
    ...(req.host ? { host: req.host } : {}),
    response: res,
  });
  if (body !== undefined) request.body = body;
  return handler.handle(request).then((response) => writeNodeResponse(res, response));
}
