import { AwsV4Signer } from 'aws4fetch';
import { sha256Hex } from '../providers/hmac.ts';
import { readBodyUpTo } from './rest-json.ts';
import { toAbortSignal } from './deadlines.ts';
import type { SignedPost } from './signed-post-types.ts';

// `#signed-post` in Workers and browsers (see signed-post-types.ts): fetch, signed by aws4fetch on Web Crypto.

/** A new signed POST; it keeps aws4fetch's derived signing keys (one per secret, day, Region and service). */
export function createSignedPost(): SignedPost {
  const signingKeys = new Map<string, ArrayBuffer>();
  return async ({ url, region, service, keys, body, signal, maxAnswerBytes }) => {
    if (signingKeys.size > 16) signingKeys.clear();
    const signed = await new AwsV4Signer({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-amz-content-sha256': await sha256Hex(body) },
      body,
      accessKeyId: keys.accessKeyId,
      secretAccessKey: keys.secretAccessKey,
      ...(keys.sessionToken ? { sessionToken: keys.sessionToken } : {}),
      service,
      region,
      cache: signingKeys,
    }).sign();
    // Redirects are answers too (the SDK does not follow them either).
    const response = await fetch(signed.url, { method: 'POST', headers: signed.headers, body, signal: toAbortSignal(signal), redirect: 'manual' });
    return { status: response.status, headers: response.headers, body: await readBodyUpTo(response, maxAnswerBytes) };
  };
}
