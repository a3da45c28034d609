import { fromNodeRequest, type InboundRequest } from '@connect-chat/core';
import type { Request, Response } from 'express';

type TrustProxy = (address: string | undefined, hop: number) => boolean;

/**
 * Converts an Express request into core's `InboundRequest` with core's `fromNodeRequest`: the URL
 * the client used (Express's `trust proxy` decides whether `X-Forwarded-Proto`/`-Host` count), the
 * body exactly as received, and, given the response, a signal that aborts when the client goes away.
 *
 * @example
 * const response = await handler.handle(toInboundRequest(req, res));
 */
export function toInboundRequest(req: Request, res?: Response): InboundRequest {
  return fromNodeRequest(req, { protocol: req.protocol, host: hostOf(req), ...(res ? { response: res } : {}) });
}

// Express 4's req.host drops the port and Express 5's keeps it; signatures cover the port, so
// both versions get Express 5's rule.
function hostOf(req: Request): string {
  const trust = req.app.get('trust proxy fn') as TrustProxy;
  const forwarded = req.get('x-forwarded-host');
  if (forwarded && trust(req.socket.remoteAddress, 0)) return forwarded.split(',')[0]!.trim();
  return req.get('host') ?? 'localhost';
}
