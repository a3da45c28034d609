import type { InboundRequest, OutboundResponse, WebBody } from '../wire/types.ts';

/**
 * A Web `Request` as the handler's {@link InboundRequest}. The body is the request itself, unread,
 * so the handler can enforce its size limit while reading (see {@link WebBody}).
 *
 * @example
 * const response = toWebResponse(await handler.handle(fromWebRequest(request)));
 */
export function fromWebRequest(request: Request): InboundRequest {
  return {
    method: request.method,
    url: request.url,
    headers: request.headers,
    signal: request.signal,
    // Not `request.body`: the handler reads it only when it gets that far, since touching
    // `request.body` of a request refused earlier (405, 413, 415) breaks keep-alive on servers such
    // as @hono/node-server, and `arrayBuffer()` is cheaper there than a Web stream.
    body: request,
  };
}

// The Fetch standard forbids a body, even an empty one, with these statuses.
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * The handler's {@link OutboundResponse} as a Web `Response`.
 *
 * @example
 * return toWebResponse({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
 */
export function toWebResponse(response: OutboundResponse): Response {
  const body = nullBodyStatuses.has(response.status) ? null : response.body;
  return new Response(body, { status: response.status, headers: response.headers });
}
