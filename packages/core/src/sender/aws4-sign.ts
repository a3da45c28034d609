import aws4 from 'aws4';
import { sha256Hex } from '../providers/hmac.ts';
import type { AwsKeys } from './types.ts';

// Node and Deno only: the SigV4 signer of the Node variants of `#signed-post` and `#sdk-runtime`.

/** What {@link signWithAws4} signs: one request to an AWS service. */
export interface Aws4Request {
  method: string;
  host: string;
  path: string;
  service: string;
  region: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * The request's headers with SigV4's added (`Authorization`, the date unless given, the session
 * token), signed by aws4 over the body's hash, which is sent too (`x-amz-content-sha256`, as the SDK
 * and aws4fetch send it): the lean transport's signer and the SDK clients'.
 *
 * @example
 * const headers = await signWithAws4({ method: 'POST', host, path: '/chat-integration-event', service: 'connect', region, headers: { 'content-type': 'application/json' }, body }, keys);
 */
export async function signWithAws4(request: Aws4Request, keys: AwsKeys): Promise<Record<string, string>> {
  const headers = { ...request.headers, 'x-amz-content-sha256': await sha256Hex(request.body) };
  // aws4 reads the body only to hash it or measure it; the hash is given, and so is any length.
  return aws4.sign({ ...request, headers, body: request.body as string }, keys).headers as Record<string, string>;
}
