import { connect } from 'node:net';
import { expect } from 'vitest';
import { probeLimit, probePath } from '../app/body-probe.ts';

/** How one raw HTTP/1.1 request frames its body, and what it really sends. */
interface RawPost {
  /** `Content-Length` to declare, or `chunked` to send the body in chunks without one. */
  declared: number | 'chunked';
  /** Bytes actually written after the head. */
  sent: number;
}

/**
 * Writes one POST to the body probe over a plain socket, so the declared length can lie (fetch and
 * node:http would not let it), and answers the status of the first response.
 */
function rawPost(baseUrl: string, { declared, sent }: RawPost): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const body = Buffer.alloc(sent, 0x61);
  const framing = declared === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${declared}`;
  const head = `POST ${probePath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/octet-stream\r\n${framing}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    let received = '';
    // The whole request in one write, taken at once by the socket's buffer (a few KiB): a server that
    // answers and closes before reading it all cannot fail a later write with EPIPE and so lose its answer.
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(Buffer.concat([Buffer.from(head), framed(body, declared)])));
    const statusLine = /^HTTP\/1\.1 (\d{3}) /;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const status = statusLine.exec(received)?.[1];
      if (status === undefined) return;
      // The first answer is what counts; workerd keeps the connection open despite `close`.
      resolve(Number(status));
      socket.destroy();
    });
    // The server may reset a connection it stopped reading: what arrived before it still counts.
    const failed = (error?: Error) => reject(error ?? new Error(`no HTTP response, got ${JSON.stringify(received.slice(0, 200))}`));
    socket.on('error', failed);
    socket.on('close', () => failed());
    socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
  });
}

/** The body as sent: as is after a Content-Length, or in 500-byte chunks and a last empty one. */
function framed(body: Buffer, declared: RawPost['declared']): Buffer {
  if (declared !== 'chunked') return body;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.byteLength; offset += 500) {
    const chunk = body.subarray(offset, offset + 500);
    parts.push(Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/**
 * Posts honest and lying bodies to the body probe of the server at `baseUrl`, one connection each,
 * and answers each request's status and the body lengths the probe's provider saw.
 */
export async function lyingContentLengths(baseUrl: string): Promise<{ statuses: Record<string, number>; seen: number[] }> {
  const cases: Record<string, RawPost> = {
    honest: { declared: 500, sent: 500 },
    'declares less than it sends': { declared: 10, sent: 5 * probeLimit },
    'declares the limit and sends more': { declared: probeLimit, sent: 5 * probeLimit },
    'declares more than the limit': { declared: 5 * probeLimit, sent: 5 * probeLimit },
    'declares one byte over the limit': { declared: probeLimit + 1, sent: probeLimit + 1 },
    'chunked within the limit': { declared: 'chunked', sent: 500 },
    'chunked past the limit': { declared: 'chunked', sent: 5 * probeLimit },
  };
  const statuses: Record<string, number> = {};
  for (const [name, post] of Object.entries(cases)) statuses[name] = await rawPost(baseUrl, post);
  const seen = (await (await fetch(`${baseUrl}${probePath}/seen`)).json()) as number[];
  return { statuses, seen };
}

// A body longer than its Content-Length: the handler refuses the declared bytes (the probe's 401),
// unless the server's parser refused the bytes past them first, as a malformed next request (400).
const lyingButFramed = expect.toBeOneOf([400, 401]);

/** What every runtime must answer: the probe never sees more than its limit; past it is 413. */
export const expectedLyingContentLengths = {
  statuses: {
    honest: 401,
    'declares less than it sends': lyingButFramed,
    'declares the limit and sends more': lyingButFramed,
    'declares more than the limit': 413,
    'declares one byte over the limit': 413,
    'chunked within the limit': 401,
    'chunked past the limit': 413,
  },
  seen: [500, 10, probeLimit, 500],
};
