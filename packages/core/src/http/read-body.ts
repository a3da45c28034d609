import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { RawBody, WebBody } from '../wire/types.ts';
import { concatBytes } from '../wire/bytes.ts';

const encoder = new TextEncoder();

/**
 * Reads a request body into bytes, refusing it with `PAYLOAD_TOO_LARGE` (413) as soon as it passes
 * `maxBytes`: an oversized body is never buffered in full. A stream is cancelled when refused.
 * A body that is already a parsed object (what `express.json()` leaves behind) is refused with
 * `BODY_ALREADY_PARSED`, because signatures cover the raw bytes.
 *
 * @example
 * const bytes = await readBody(request.body, 1024 * 1024);
 */
export async function readBody(body: RawBody, maxBytes: number): Promise<Uint8Array> {
  if (body === null || body === undefined) return new Uint8Array(0);
  if (body instanceof Uint8Array) return checkedSize(body, maxBytes);
  if (typeof body === 'string') {
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this refuses early without encoding.
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return checkedSize(encoder.encode(body), maxBytes);
  }
  if (body instanceof ArrayBuffer) return checkedSize(new Uint8Array(body), maxBytes);
  if (isReadableStream(body)) return readStream(body, maxBytes);
  if (isWebBody(body)) return readWebBody(body, maxBytes);
  if (isNodeStream(body)) return readNodeStream(body, maxBytes);
  if (isAsyncIterable(body)) return readIterable(body, maxBytes);
  throw new ConnectChatError(
    'BODY_ALREADY_PARSED',
    `The request body is a ${describe(body)}, not raw bytes: a body parser (e.g. express.json()) consumed it first. ` +
      'Mount connect-chat before body parsers, or keep the raw body (Uint8Array, string or stream) for it ' +
      '(NestJS on Express: NestFactory.create(AppModule, { rawBody: true })).',
  );
}

function checkedSize(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return bytes;
}

const wholeNumber = /^[0-9]+$/;

/**
 * Whole when the declared length is within the limit: a server's HTTP framing ends the body there,
 * and `arrayBuffer()` skips the Web stream (on @hono/node-server it reads the socket directly). The
 * size is checked again after, for a `Request` built in-process with a length that lies.
 */
async function readWebBody(body: WebBody, maxBytes: number): Promise<Uint8Array> {
  if (!body.bodyUsed) {
    const declared = body.headers.get('content-length');
    if (declared !== null && wholeNumber.test(declared) && Number(declared) <= maxBytes) {
      return checkedSize(new Uint8Array(await body.arrayBuffer()), maxBytes);
    }
  }
  const stream = body.body;
  return stream === null ? new Uint8Array(0) : readStream(stream, maxBytes);
}

async function readStream(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  if (stream.locked) {
    throw new ConnectChatError('BODY_ALREADY_PARSED', 'The request body stream is already being read by someone else: mount connect-chat before body parsers.');
  }
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = toBytes(value);
      size += chunk.byteLength;
      if (size > maxBytes) {
        // Cancelling tells the source to stop sending; the refusal must not wait for it.
        reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(chunk);
    }
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, size);
}

async function readIterable(iterable: AsyncIterable<unknown>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const iterator = iterable[Symbol.asyncIterator]();
  for (;;) {
    const { done, value } = await iterator.next();
    if (done) break;
    const chunk = toBytes(value);
    size += chunk.byteLength;
    if (size > maxBytes) {
      // Lets the source clean up (a Node request is destroyed; Node still writes the 413 first).
      iterator.return?.()?.catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return concat(chunks, size);
}

/** What is read of a Node `Readable` (an `IncomingMessage`): duck-typed, so core imports nothing of Node. */
interface NodeStream {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  destroy(): unknown;
  destroyed?: boolean;
}

/**
 * A Node stream read with its own events, as Node's body parsers read it: cheaper than its async
 * iterator for a webhook's one or two chunks. Past `maxBytes` the stream is destroyed once the refusal
 * had its turn to be answered (Node writes the 413 first); a stream that closes before its end fails.
 */
function readNodeStream(stream: NodeStream, maxBytes: number): Promise<Uint8Array> {
  if (stream.destroyed) return Promise.reject(new Error('the request body was destroyed before it was read'));
  return new Promise((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const finish = (error: unknown, bytes?: Uint8Array) => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', finish);
      stream.removeListener('close', onClose);
      if (bytes === undefined) reject(error);
      else resolve(bytes);
    };
    const onData = (value: unknown) => {
      let chunk: Uint8Array;
      try {
        chunk = toBytes(value);
      } catch (error) {
        finish(error);
        return;
      }
      size += chunk.byteLength;
      if (size > maxBytes) {
        finish(tooLarge(maxBytes));
        // Once the refusal is answered (in the microtasks after this one): the rest of the upload is cut.
        setTimeout(() => stream.destroy(), 0);
      } else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined, concat(chunks, size));
    const onClose = () => finish(new Error('the request closed before its body ended'));
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', finish);
    stream.on('close', onClose);
  });
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  // A Node stream with setEncoding() yields strings.
  if (typeof chunk === 'string') return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new ConnectChatError(
    'BODY_ALREADY_PARSED',
    `The request body stream yielded a ${describe(chunk)} chunk instead of bytes: an object-mode stream or a body parser is in the way.`,
  );
}

/** A body of one chunk is that chunk; more are joined. */
function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks, size);
}

function tooLarge(maxBytes: number): ConnectChatError {
  return new ConnectChatError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  // Duck-typed: a stream from another realm or polyfill is still a stream.
  return typeof value === 'object' && value !== null && typeof (value as Partial<ReadableStream>).getReader === 'function';
}

function isWebBody(value: unknown): value is WebBody {
  // A Node request has headers too, but as a plain record; a Blob has arrayBuffer() but no headers.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<WebBody>).arrayBuffer === 'function' &&
    typeof (value as Partial<WebBody>).headers?.get === 'function'
  );
}

function isNodeStream(value: unknown): value is NodeStream {
  const stream = value as Partial<NodeStream> | null;
  return (
    typeof stream === 'object' &&
    stream !== null &&
    typeof stream.on === 'function' &&
    typeof stream.removeListener === 'function' &&
    typeof stream.destroy === 'function' &&
    typeof (stream as { pipe?: unknown }).pipe === 'function'
  );
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return value.constructor?.name && value.constructor.name !== 'Object' ? `${value.constructor.name} object` : 'plain object';
  return typeof value;
}
