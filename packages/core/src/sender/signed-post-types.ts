import type { HeaderLookup } from '../wire/types.ts';
import type { StopSignal } from './deadlines.ts';
import type { AwsKeys } from './types.ts';

/** One SigV4-signed POST of a JSON body to an AWS service, as the lean transport makes it. */
export interface SignedPostCall {
  url: string;
  region: string;
  service: string;
  keys: AwsKeys;
  body: Uint8Array<ArrayBuffer>;
  /** Aborts the call, whatever it is doing (signing, connecting, reading the answer): an `AbortSignal` or the sender's lighter stop. */
  signal: StopSignal;
  /** The answer's body is read up to this many bytes; past it, `body` is undefined. */
  maxAnswerBytes: number;
}

/** The service's answer: any status (redirects are not followed), its headers, its body (bounded). */
export interface SignedPostAnswer {
  status: number;
  headers: HeaderLookup;
  /** Undefined when the answer was longer than `maxAnswerBytes` (it was not read to its end). */
  body: Uint8Array | undefined;
}

/**
 * Signs and sends one call. Two implementations, chosen where core runs (package.json `imports`
 * `#signed-post`): undici's pools with `aws4`'s synchronous SigV4 signer on Node and Deno (several
 * times cheaper per call than `fetch` and Web Crypto there), `fetch` with `aws4fetch` on Bun, in
 * Workers and browsers (small to bundle). Both send the same signed bytes.
 *
 * @example
 * const answer = await signedPost({ url, region: 'us-east-1', service: 'connect', keys, body, signal, maxAnswerBytes: 65_536 });
 */
export type SignedPost = (call: SignedPostCall) => Promise<SignedPostAnswer>;
