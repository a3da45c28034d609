/** Case-insensitive header lookup; a Web `Headers` object satisfies it. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * A body that can be read whole or as a stream and declares its length: a Web `Request` as a server
 * received it. Nothing is read until the handler gets that far.
 */
export interface WebBody {
  readonly headers: HeaderLookup;
  readonly bodyUsed: boolean;
  readonly body: ReadableStream<Uint8Array> | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * The raw request body as an adapter has it. The handler reads it itself, enforcing the body size
 * limit while reading, so adapters never buffer an oversized body.
 * `Uint8Array`/`string`: already buffered raw bytes (a string is taken as UTF-8).
 * `ReadableStream`/`AsyncIterable`: read lazily (a Node `IncomingMessage` is an AsyncIterable).
 * `WebBody` (a Web `Request`): read whole when its `Content-Length` is within the limit, where the
 * server's HTTP framing stops the read at that length; otherwise as a stream.
 */
export type RawBody = Uint8Array | string | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | WebBody | null | undefined;

/**
 * What an adapter hands to the core: the request exactly as received. Signatures cover bytes, so
 * `body` must be the unparsed body.
 */
export interface InboundRequest {
  method: string;
  /** The full URL as the server saw it (scheme, host, path, query). */
  url: string;
  headers: HeaderLookup;
  body: RawBody;
  /** Aborts when the client goes away; handed to providers' outbound calls (SNS subscription confirmation). */
  signal?: AbortSignal;
}

/** What the core answers; adapters write status, headers and body back verbatim. */
export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A request after the handler read its body within the limit: what providers verify and parse.
 */
export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: HeaderLookup;
  /** The raw body bytes, exactly as received. */
  body: Uint8Array;
  /** `body` decoded as UTF-8. */
  text: string;
}
