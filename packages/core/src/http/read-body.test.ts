import { request as httpRequest, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { readBody } from './read-body.ts';

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (ConnectChatError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** An endless stream that counts how often it was pulled and whether it was cancelled. */
function endlessStream(chunkSize: number) {
  const state = { pulls: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      controller.enqueue(new Uint8Array(chunkSize).fill(97));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** A Web `Request` body whose reads are counted: whole (`arrayBuffer`) or as a stream (`body`). */
function countedRequest(init: { body?: string | ReadableStream<Uint8Array>; headers?: Record<string, string> }) {
  const request = new Request('https://bridge.example/', { method: 'POST', duplex: 'half', ...init } as RequestInit);
  const reads = { arrayBuffer: 0, stream: 0 };
  const body = {
    headers: request.headers,
    get bodyUsed() {
      return request.bodyUsed;
    },
    get body() {
      reads.stream++;
      return request.body;
    },
    arrayBuffer() {
      reads.arrayBuffer++;
      return request.arrayBuffer();
    },
  };
  return { body, reads, request };
}

describe('readBody', () => {
  it('returns buffered bytes and strings (as UTF-8) within the limit', async () => {
    expect(text(await readBody(new Uint8Array([104, 105]), 2))).toBe('hi');
    expect(await readBody('héllo', 6)).toEqual(new TextEncoder().encode('héllo'));
    expect((await readBody(null, 0)).byteLength).toBe(0);
    expect((await readBody(undefined, 0)).byteLength).toBe(0);
  });

  it('counts bytes, not characters: a multi-byte string over the limit is refused', async () => {
    // 'é' is 2 UTF-8 bytes: 5 characters, 6 bytes.
    expect(await codeOf(readBody('héllo', 5))).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(readBody(new Uint8Array(11), 10))).toBe('PAYLOAD_TOO_LARGE');
  });

  it('reads a ReadableStream of chunks in order', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of ['{"a":', '1,"b":', '"é"}']) controller.enqueue(new TextEncoder().encode(part));
        controller.close();
      },
    });
    expect(text(await readBody(stream, 100))).toBe('{"a":1,"b":"é"}');
  });

  it('stops an endless stream just past the limit and cancels it', async () => {
    const { stream, state } = endlessStream(1024);
    expect(await codeOf(readBody(stream, 10 * 1024))).toBe('PAYLOAD_TOO_LARGE');
    expect(state.cancelled).toBe(true);
    // The 11th chunk passes the limit; a stream's queue may pull one more ahead, never the rest.
    expect(state.pulls).toBeLessThanOrEqual(12);
  });

  it('stops an endless AsyncIterable just past the limit and lets it clean up', async () => {
    let yielded = 0;
    let cleanedUp = false;
    async function* endless() {
      try {
        for (;;) {
          yielded++;
          yield new Uint8Array(1000);
        }
      } finally {
        cleanedUp = true;
      }
    }
    expect(await codeOf(readBody(endless(), 5000))).toBe('PAYLOAD_TOO_LARGE');
    expect(yielded).toBe(6);
    expect(cleanedUp).toBe(true);
  });

  it('accepts string chunks from a stream with an encoding set', async () => {
    async function* chunks() {
      yield 'a=';
      yield new TextEncoder().encode('1');
    }
    expect(text(await readBody(chunks() as AsyncIterable<Uint8Array>, 3))).toBe('a=1');
  });

  it('refuses a body a parser already consumed, saying how to fix it', async () => {
    for (const parsed of [{}, { a: 1 }, [1, 2], 42, true]) {
      const error = await readBody(parsed as never, 100).catch((e: unknown) => e);
      expect(ConnectChatError.is(error) && error.code).toBe('BODY_ALREADY_PARSED');
      expect((error as Error).message).toMatch(/before body parsers/);
      expect((error as Error).message).toMatch(/raw body/);
    }
  });

  it('refuses a stream someone else is reading, and object chunks', async () => {
    const locked = new ReadableStream<Uint8Array>();
    locked.getReader();
    expect(await codeOf(readBody(locked, 100))).toBe('BODY_ALREADY_PARSED');
    async function* objects() {
      yield { not: 'bytes' };
    }
    expect(await codeOf(readBody(objects() as never, 100))).toBe('BODY_ALREADY_PARSED');
  });

  it('reads a Web Request whole when its Content-Length is a whole number within the limit', async () => {
    const within = countedRequest({ body: 'Body=hi', headers: { 'content-length': '7' } });
    expect(text(await readBody(within.body, 7))).toBe('Body=hi');
    expect(within.reads).toEqual({ arrayBuffer: 1, stream: 0 });
    const empty = countedRequest({ body: '', headers: { 'content-length': '0' } });
    expect((await readBody(empty.body, 7)).byteLength).toBe(0);
    expect(empty.reads).toEqual({ arrayBuffer: 1, stream: 0 });
  });

  it('reads a Web Request as a bounded stream without a usable Content-Length', async () => {
    const unusable: Record<string, string>[] = [
      {},
      { 'content-length': '1e1' },
      { 'content-length': '+7' },
      { 'content-length': '7, 7' },
      { 'content-length': '8' },
    ];
    for (const headers of unusable) {
      const request = countedRequest({ body: 'Body=hi', headers });
      expect(text(await readBody(request.body, 7))).toBe('Body=hi');
      expect(request.reads).toEqual({ arrayBuffer: 0, stream: 1 });
    }
    const endless = endlessStream(1024);
    const chunked = countedRequest({ body: endless.stream });
    expect(await codeOf(readBody(chunked.body, 10 * 1024))).toBe('PAYLOAD_TOO_LARGE');
    expect(chunked.reads).toEqual({ arrayBuffer: 0, stream: 1 });
    expect(endless.state).toEqual({ pulls: expect.any(Number), cancelled: true });
    expect(endless.state.pulls).toBeLessThanOrEqual(13);
  });

  it('refuses a Web Request whose body is longer than its Content-Length says, past the limit', async () => {
    // Only a Request built in this process can lie so; a server's HTTP framing stops at the length.
    const lying = countedRequest({ body: 'a'.repeat(11), headers: { 'content-length': '3' } });
    expect(await codeOf(readBody(lying.body, 10))).toBe('PAYLOAD_TOO_LARGE');
    const shorter = countedRequest({ body: 'ab', headers: { 'content-length': '3' } });
    expect(text(await readBody(shorter.body, 10))).toBe('ab');
  });

  it('treats a Web Request read before exactly as its used stream', async () => {
    const used = countedRequest({ body: 'Body=hi', headers: { 'content-length': '7' } });
    await used.request.text();
    const asStream = countedRequest({ body: 'Body=hi', headers: { 'content-length': '7' } });
    await asStream.request.text();
    const settle = (promise: Promise<Uint8Array>) => promise.then(text, (error: unknown) => (ConnectChatError.is(error) ? error.code : String(error)));
    expect(await settle(readBody(used.body, 100))).toBe(await settle(readBody(asStream.request.body, 100)));
    expect(used.reads).toEqual({ arrayBuffer: 0, stream: 1 });
  });

  it('reads a Node request sent in parts, and leaves none of its listeners on it', async () => {
    const read: Array<{ body: string; listeners: number[] }> = [];
    const events = ['data', 'end', 'error', 'close'] as const;
    const server = createServer((req, res) => {
      const before = events.map((event) => req.listenerCount(event));
      readBody(req, 1024).then((bytes) => {
        read.push({ body: text(bytes), listeners: events.map((event, index) => req.listenerCount(event) - (before[index] ?? 0)) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => res.resume().on('end', resolve));
        req.on('error', reject);
        req.flushHeaders();
        req.write('From=%2B1415');
        setImmediate(() => req.end('5550100&Body=Hi'));
      });
      expect(read).toEqual([{ body: 'From=%2B14155550100&Body=Hi', listeners: [0, 0, 0, 0] }]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails a Node request whose client went away mid-body, and one already destroyed', async () => {
    const outcomes: string[] = [];
    let settled!: () => void;
    const done = new Promise<void>((resolve) => {
      settled = resolve;
    });
    const server = createServer((req) => {
      readBody(req, 1024)
        .then(
          () => outcomes.push('read'),
          (error: Error) => outcomes.push(`failed: ${error.message}`),
        )
        .then(() => readBody(req, 1024).catch((error: Error) => outcomes.push(`failed: ${error.message}`)))
        .then(settled);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'content-length': '100' } });
      req.on('error', () => {});
      req.write('From=%2B1415', () => setImmediate(() => req.destroy()));
      await done;
      // Node reports the reset as an 'aborted' error, or only closes the request: either fails the read.
      expect(outcomes).toEqual([
        expect.stringMatching(/^failed: (aborted|the request closed before its body ended)$/),
        'failed: the request body was destroyed before it was read',
      ]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('lets a Node server answer 413 to a client still uploading a too-large body', async () => {
    // The socket must survive the refusal, or the client sees a reset instead of the 413.
    const server = createServer((req, res) => {
      readBody(req, 64 * 1024).then(
        () => res.writeHead(200).end('read'),
        (error: ConnectChatError) => res.writeHead(error.status).end(error.code),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/' }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end(new Uint8Array(1024 * 1024));
      });
      expect(answer).toEqual({ status: 413, body: 'PAYLOAD_TOO_LARGE' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
