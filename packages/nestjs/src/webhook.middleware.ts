import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { ConnectChatError } from '@connect-chat/core';
import type { InboundRequest, OutboundResponse, RawBody, WebhookHandler } from '@connect-chat/core';

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
    return serve(handler, req, res, rawBodyOf(req));
  };
}

/** The request's path without query or trailing slash, as routes are matched. */
export function pathnameOf(req: MiddlewareRequest): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0]!.replace(/(.)\/$/, '$1');
}

/** Hands the request to core with `body` and writes core's answer verbatim. */
export function serve(handler: WebhookHandler, req: MiddlewareRequest, res: ServerResponse, body: RawBody): Promise<void> {
  const request: InboundRequest = { method: req.method ?? 'GET', url: toUrl(req), headers: headersOf(req), body };
  return handler.handle(request).then((response) => write(res, response));
}

function toUrl(req: MiddlewareRequest): string {
  // Express's protocol and host honour its `trust proxy` setting; Fastify's raw request has neither.
  const protocol = req.protocol ?? ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  const host = req.host ?? req.headers.host ?? 'localhost';
  return `${protocol}://${host}${req.originalUrl ?? req.url ?? '/'}`;
}

function headersOf(req: IncomingMessage): InboundRequest['headers'] {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function rawBodyOf(req: MiddlewareRequest): RawBody {
  // Nest's `rawBody: true` keeps the bytes its JSON and form parsers read.
  if (req.rawBody instanceof Uint8Array) return req.rawBody;
  // No parser touched it (Fastify runs middleware before parsing; other content types on Express):
  // core reads the stream itself, within its size limit.
  if (!req.readableDidRead) return req;
  throw new ConnectChatError(
    'BODY_ALREADY_PARSED',
    `connect-chat cannot verify ${req.method} ${req.originalUrl ?? req.url}: Nest's body parser consumed the raw body. ` +
      'Create the app with NestFactory.create(AppModule, { rawBody: true }) (in tests: createNestApplication({ rawBody: true })).',
  );
}

// Verbatim: Express's res.send() would add an ETag and rewrite the content type.
function write(res: ServerResponse, response: OutboundResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
