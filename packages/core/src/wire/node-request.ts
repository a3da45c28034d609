import type { HeaderLookup, InboundRequest, OutboundResponse, RawBody } from './types.ts';

/** The parts of a Node `IncomingMessage` (as Express, Nest and Fastify hand it over) that are read. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array> {
  method?: string | undefined;
  url?: string | undefined;
  /** Express's path before routers trimmed it. */
  originalUrl?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`. */
  socket?: object | null | undefined;
  readableEnded?: boolean;
  readableDidRead?: boolean;
  /** The bytes a body parser kept (`rawBody: true` in Nest, the `verify` recipe in Express). */
  rawBody?: unknown;
  /** What a body parser left. */
  body?: unknown;
}

/** The response, to learn when the client went away. */
export interface NodeResponseLike {
  once(event: 'close', listener: () => void): unknown;
  readonly writableFinished?: boolean;
}

/** What a framework knows better than the socket: the URL the client used behind a proxy. */
export interface FromNodeRequestOptions {
  /** `http` or `https`; default from the socket. */
  protocol?: string;
  /** Host and port; default the `Host` header. */
  host?: string;
  /** Aborts the request's `signal` when the connection closes before the answer was written. */
  response?: NodeResponseLike;
}

/**
 * Core's `InboundRequest` from a Node request, for adapters on Node servers: the full URL, the
 * headers, and the body exactly as received — the bytes a parser kept, or the stream itself (read
 * by core within its size limit). A body a parser already turned into an object is handed over as
 * is: core refuses it with `BODY_ALREADY_PARSED`, and its hooks see that.
 *
 * @example
 * const response = await handler.handle(fromNodeRequest(req, { protocol: req.protocol, host: req.get('host'), response: res }));
 */
export function fromNodeRequest(req: NodeRequestLike, options: FromNodeRequestOptions = {}): InboundRequest {
  const protocol = options.protocol ?? ((req.socket as { encrypted?: boolean } | null | undefined)?.encrypted ? 'https' : 'http');
  const headers = nodeHeaders(req.headers);
  const host = options.host ?? headers.get('host') ?? 'localhost';
  const request: InboundRequest = {
    method: req.method ?? 'GET',
    url: `${protocol}://${host}${req.originalUrl ?? req.url ?? '/'}`,
    headers,
    body: bodyOf(req),
  };
  if (options.response) {
    const signal = closedBeforeAnswered(options.response);
    Object.defineProperty(request, 'signal', {
      get: signal,
      // Still a plain property to whoever sets it.
      set(value: AbortSignal | undefined) {
        Object.defineProperty(request, 'signal', { value, writable: true, enumerable: true, configurable: true });
      },
      enumerable: true,
      configurable: true,
    });
  }
  return request;
}

/** The parts of a Node `ServerResponse` (Express's, or Fastify's raw one) that {@link writeNodeResponse} uses. */
export interface NodeResponseWriter {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

/**
 * Writes core's answer to a Node response verbatim — status, headers, body — in one piece with its
 * `Content-Length` (Node adds it when nothing was written before `end`), not chunked. Express's
 * `res.send()` would add an ETag and rewrite the content type; `writeHead()` would fix the headers
 * before the length is known.
 *
 * @example
 * writeNodeResponse(res, await handler.handle(fromNodeRequest(req, { response: res })));
 */
export function writeNodeResponse(res: NodeResponseWriter, response: OutboundResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/**
 * Node's header record (lower-case names, repeated headers as arrays) as core's `HeaderLookup`:
 * repeated values joined with ", ", as `Headers.get` joins them.
 *
 * @example
 * nodeHeaders(req.headers).get('Content-Type'); // 'application/json'
 */
export function nodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderLookup {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function bodyOf(req: NodeRequestLike): RawBody {
  const kept = req.rawBody;
  if (typeof kept === 'string' || kept instanceof Uint8Array) return kept;
  if (req.readableEnded || req.readableDidRead) {
    // express.raw() and express.text() leave the bytes or their text; anything else is parsed.
    const parsed = req.body;
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) return parsed;
    return (parsed ?? {}) as RawBody;
  }
  return req;
}

/**
 * The signal, built on first read: most requests never need one (an AbortController costs about
 * 3.5 us here). The close is watched from the start, so a signal first read after the client went
 * away is aborted all the same.
 */
function closedBeforeAnswered(response: NodeResponseLike): () => AbortSignal {
  let controller: AbortController | undefined;
  let gone: Error | undefined;
  response.once('close', () => {
    if (response.writableFinished) return;
    gone = new Error('the client closed the connection');
    controller?.abort(gone);
  });
  return () => {
    if (controller === undefined) {
      controller = new AbortController();
      if (gone !== undefined) controller.abort(gone);
    }
    return controller.signal;
  };
}
