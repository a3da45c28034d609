import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import aws4 from 'aws4';
import { sha256Hex } from '../providers/hmac.ts';
import { nodeHeaders } from '../wire/node-request.ts';
import type { SignedPost, SignedPostAnswer } from './signed-post-types.ts';
import type { Dispatcher } from 'undici';
import { createPools, type Pools } from './undici-pools.ts';

type BodyReadable = Dispatcher.ResponseData['body'];

// `#signed-post` on Node, Bun and Deno (see signed-post-types.ts): undici's keep-alive pools on Node
// and Deno (node:http's agents on Bun), signed by aws4 (synchronous SigV4 on node:crypto, signing keys
// cached per secret, day, Region and service): about 11 µs a call on Node 20, against 27 µs for
// @smithy/signature-v4's async hashing.

/** Sockets per agent, as the SDK transport's: well above what pacing lets run at once. */
const maxSockets = 256;

/** A new signed POST with its own keep-alive connections. */
export function createSignedPost(): SignedPost {
  const send = sendOn(createPools());
  // A transport posts to one endpoint: its URL is parsed once (a few at most; a flood only empties the cache).
  const targets = new Map<string, URL>();
  const targetOf = (url: string): URL => {
    let target = targets.get(url);
    if (target === undefined) {
      if (targets.size >= 8) targets.clear();
      target = new URL(url);
      targets.set(url, target);
    }
    return target;
  };

  return async ({ url, region, service, keys, body, signal, maxAnswerBytes }) => {
    signal.throwIfAborted();
    const target = targetOf(url);
    const signed = aws4.sign(
      {
        method: 'POST',
        host: target.host,
        path: target.pathname,
        service,
        region,
        // Sent and signed as the SDK and aws4fetch do; aws4 signs over this hash instead of hashing again.
        headers: { 'content-type': 'application/json', 'x-amz-content-sha256': await sha256Hex(body) },
        body: body as unknown as Buffer,
      },
      keys,
    );
    return send(target, signed.headers as Record<string, string>, body, signal, maxAnswerBytes);
  };
}

type Send = (target: URL, headers: Record<string, string>, body: Uint8Array, signal: AbortSignal, limit: number) => Promise<SignedPostAnswer>;

/** Sends on undici's pools where there are some, else on `node:http`'s keep-alive agents. */
function sendOn(pools: Pools | undefined): Send {
  if (pools !== undefined) {
    return async (target, headers, body, signal, limit) => {
      const answer = await pools.poolFor(target.origin).request({ method: 'POST', path: target.pathname, headers, body, signal });
      const declaredLength = Number(answer.headers['content-length'] ?? Number.NaN);
      return { status: answer.statusCode, headers: nodeHeaders(answer.headers), body: await readUpTo(answer.body, declaredLength, limit) };
    };
  }
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
  return (target, headers, body, signal, limit) =>
    new Promise<SignedPostAnswer>((resolve, reject) => {
      const secure = target.protocol === 'https:';
      const call = (secure ? httpsRequest : httpRequest)(target, { method: 'POST', headers, agent: secure ? agents.https : agents.http, signal }, (answer) =>
        readAnswer(answer, limit).then(resolve, reject),
      );
      call.on('error', reject);
      call.end(body);
    });
}

/** An undici answer's body, read up to `limit` bytes; undefined past it (the connection is dropped). */
async function readUpTo(body: BodyReadable, declaredLength: number, limit: number): Promise<Uint8Array | undefined> {
  if (declaredLength > limit) {
    body.destroy();
    return undefined;
  }
  // A declared length within the bound (Connect declares every answer's): undici holds the answer to it.
  if (declaredLength >= 0) return new Uint8Array(await body.arrayBuffer());
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    length += chunk.byteLength;
    if (length > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks, length));
}

/** The answer's status, headers and body, read up to `limit` bytes (past it the connection is dropped). */
function readAnswer(answer: IncomingMessage, limit: number): Promise<SignedPostAnswer> {
  const status = answer.statusCode ?? 0;
  const headers = nodeHeaders(answer.headers);
  if (Number(answer.headers['content-length'] ?? Number.NaN) > limit) {
    answer.destroy();
    return Promise.resolve({ status, headers, body: undefined });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    answer.on('data', (chunk: Buffer) => {
      length += chunk.byteLength;
      if (length > limit) {
        answer.destroy();
        resolve({ status, headers, body: undefined });
      } else chunks.push(chunk);
    });
    answer.on('end', () => resolve({ status, headers, body: new Uint8Array(Buffer.concat(chunks, length)) }));
    answer.on('error', reject);
    // Closed before its end (the connection dropped): no answer to read.
    answer.on('close', () => {
      if (!answer.complete) reject(new Error('the connection closed before the answer ended'));
    });
  });
}
