import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { credentials, message } from './helpers.ts';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
});

afterAll(async () => {
  await emulator.close();
});

interface SignOptions {
  service?: string;
  signingDate?: Date;
  path?: string;
  query?: Record<string, string | string[]>;
  /** Sent instead of the signed body, under the signed headers. */
  sentBody?: string;
  /** Sent instead of the signed query. */
  sentQuery?: Record<string, string | string[]>;
  /** Replaces the Authorization header. */
  authorization?: string;
}

/** Signs like the SDK, with @smithy/signature-v4, and sends with node:http so every header is ours. */
async function signedPost(body: string, options: SignOptions = {}): Promise<{ status: number; errorType: string | undefined; body: string }> {
  const url = new URL(emulator.url);
  const signer = new SignatureV4({ credentials, region: 'eu-west-2', service: options.service ?? 'connect', sha256: Sha256 });
  const path = options.path ?? '/chat-integration-event';
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      query: options.query ?? {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  if (options.authorization !== undefined) signed.headers['authorization'] = options.authorization;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(options.sentQuery ?? options.query ?? {})) for (const v of [value].flat()) search.append(key, v);
  const sent = options.sentBody ?? body;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: search.size ? `${path}?${search}` : path,
        headers: { ...signed.headers, 'content-length': Buffer.byteLength(sent) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, errorType: res.headers['x-amzn-errortype'] as string | undefined, body: text }));
      },
    );
    req.on('error', reject);
    req.end(sent);
  });
}

const body = JSON.stringify(message('signed by hand'));

describe('SigV4 verification', () => {
  it('accepts a correct signature, query string included, in any region', async () => {
    const response = await signedPost(body, { query: { b: '2', a: ['1', 'x y'] } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ NewChatCreated: true });
  });

  it('refuses a body swapped under a valid signature and content hash', async () => {
    const response = await signedPost(body, { sentBody: JSON.stringify(message('swapped')) });
    expect(response).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
  });

  it('refuses a credential scoped to another service', async () => {
    const response = await signedPost(body, { service: 'execute-api' });
    expect(response).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
    expect(response.body).toContain("'connect'");
  });

  it('refuses a signature dated more than 15 minutes away', async () => {
    const response = await signedPost(body, { signingDate: new Date(Date.now() - 16 * 60 * 1000) });
    expect(response).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
    expect(response.body).toContain('Signature expired');
  });

  it('refuses an incomplete Authorization header', async () => {
    const response = await signedPost(body, {
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20250101/us-east-1/connect/aws4_request`,
    });
    expect(response).toMatchObject({ status: 403, errorType: 'IncompleteSignatureException' });
    const basic = await signedPost(body, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic).toMatchObject({ status: 403, errorType: 'IncompleteSignatureException' });
  });

  it('refuses a request whose query differs from the signed one', async () => {
    const response = await signedPost(body, { query: { a: '1' }, sentQuery: { a: '2' } });
    expect(response).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
  });
});
