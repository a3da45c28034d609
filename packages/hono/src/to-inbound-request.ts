import type { InboundRequest } from '@connect-chat/core';
import type { Context } from 'hono';

/**
 * The request as core reads it. The body is the request itself, unread: core reads it only when it
 * gets that far, with `arrayBuffer()` when its `Content-Length` is within the limit. A request
 * refused before (405, 413, 415) must not touch `request.body`: @hono/node-server drains an unread
 * body after the response only if no Web stream was made of it, or it later drops the keep-alive
 * connection under the client's next request.
 *
 * When earlier middleware read the body through `c.req.text()`, `json()`, `arrayBuffer()` or
 * `parseBody()`, Hono cached the bytes and they are handed over; a body consumed behind Hono's back
 * stays consumed, and core answers `BODY_ALREADY_PARSED`.
 */
export async function toInboundRequest(c: Context): Promise<InboundRequest> {
  const raw = c.req.raw;
  const cached = raw.bodyUsed ? await c.req.arrayBuffer().catch(() => undefined) : undefined;
  return {
    method: raw.method,
    url: raw.url,
    headers: raw.headers,
    // @hono/node-server makes an AbortController on the first read; most requests never need one.
    get signal() {
      return raw.signal;
    },
    body: cached === undefined ? raw : new Uint8Array(cached),
  };
}
