import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { nodeHeaders } from '../wire/node-request.ts';
import type { AwsKeys } from './types.ts';
import type { SignedPost, SignedPostAnswer } from './signed-post-types.ts';

// `#signed-post` on Node, Bun and Deno (see signed-post-types.ts): node:http on a keep-alive agent,
// signed by @smithy/signature-v4 (the AWS SDK's own signer) hashing with node:crypto.

/** Sockets per agent, as the SDK transport's: well above what pacing lets run at once. */
const maxSockets = 256;

/** A new signed POST with its own keep-alive agents and signers (one per Region, service and key, a few at most). */
export function createSignedPost(): SignedPost {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets }), https: new HttpsAgent({ keepAlive: true, maxSockets }) };
  const signers = new Map<string, SignatureV4>();
  const signerFor = (region: string, service: string, keys: AwsKeys) => {
    const id = [region, service, keys.accessKeyId, keys.secretAccessKey, keys.sessionToken ?? ''].join('\n');
    let signer = signers.get(id);
    if (signer === undefined) {
      // Rotated keys make new signers; the old ones are dropped, never kept without bound.
      if (signers.size >= 8) signers.clear();
      signer = new SignatureV4({ region, service, credentials: keys, sha256: Hash.bind(null, 'sha256') });
      signers.set(id, signer);
    }
    return signer;
  };

  return async ({ url, region, service, keys, body, signal, maxAnswerBytes }) => {
    signal.throwIfAborted();
    const target = new URL(url);
    const signed = await signerFor(region, service, keys).sign({
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      ...(target.port ? { port: Number(target.port) } : {}),
      path: target.pathname,
      query: {},
      headers: { host: target.host, 'content-type': 'application/json', 'content-length': String(body.byteLength) },
      body,
    });
    signal.throwIfAborted();
    const secure = target.protocol === 'https:';
    return new Promise<SignedPostAnswer>((resolve, reject) => {
      const options = { method: 'POST', headers: signed.headers, agent: secure ? agents.https : agents.http, signal };
      const call = (secure ? httpsRequest : httpRequest)(target, options, (answer) => readAnswer(answer, maxAnswerBytes).then(resolve, reject));
      call.on('error', reject);
      call.end(body);
    });
  };
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
