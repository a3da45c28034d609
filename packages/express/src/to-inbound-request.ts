import type { InboundRequest, RawBody } from '@connect-chat/core';
import type { Request } from 'express';

type TrustProxy = (address: string | undefined, hop: number) => boolean;

/**
 * Converts an Express request into core's `InboundRequest`: the URL the client used (Express's
 * `trust proxy` decides whether `X-Forwarded-Proto`/`-Host` count) and the body exactly as received.
 *
 * @example
 * const response = await handler.handle(toInboundRequest(req));
 */
export function toInboundRequest(req: Request): InboundRequest {
  return {
    method: req.method,
    url: `${req.protocol}://${hostOf(req)}${req.originalUrl}`,
    headers: {
      get(name) {
        const value = req.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    body: bodyOf(req),
  };
}

// Express 4's req.host drops the port and Express 5's keeps it; signatures cover the port, so
// both versions get Express 5's rule.
function hostOf(req: Request): string {
  const trust = req.app.get('trust proxy fn') as TrustProxy;
  const forwarded = req.get('x-forwarded-host');
  if (forwarded && trust(req.socket.remoteAddress, 0)) return forwarded.split(',')[0]!.trim();
  return req.get('host') ?? 'localhost';
}

function bodyOf(req: Request): RawBody {
  // The `verify` recipe of express.json()/urlencoded()/text() keeps the bytes the parser read.
  const kept = (req as Request & { rawBody?: unknown }).rawBody;
  if (typeof kept === 'string' || kept instanceof Uint8Array) return kept;
  if (req.readableEnded) {
    // express.raw() and express.text() leave the bytes or their text; anything else is a parsed
    // value, which core refuses with BODY_ALREADY_PARSED and a message on how to fix the mount.
    const parsed: unknown = req.body;
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
    return (parsed ?? {}) as RawBody;
  }
  // The request is an AsyncIterable<Uint8Array>: core reads it within its size limit.
  return req;
}
