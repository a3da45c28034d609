import type { AwsKeys } from './types.ts';

/** The request the AWS SDK hands its signer: the fields read here (an `HttpRequest` of `@smithy/protocol-http`). */
export interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  query?: Record<string, unknown> | undefined;
  headers: Record<string, string>;
  body?: unknown;
}

/** What the SDK's SigV4 scheme passes its signer with each request: the clock-skew-corrected date, Region and service. */
export interface SdkSigningArguments {
  signingDate?: Date | undefined;
  signingRegion?: string | undefined;
  signingService?: string | undefined;
}

/**
 * Signs an AWS SDK request with SigV4 in place (its `headers` replaced by the signed ones) and answers
 * `true`, or answers `false` without touching it when the request is not one it signs: a query string,
 * no body (or a stream), a path with characters SigV4 escapes, no Region or service. The SDK's
 * own signer signs those. Two implementations, chosen where core runs (package.json `imports`
 * `#sdk-signer`): `aws4` on Node, Bun and Deno; none in Workers and browsers (the SDK's signer).
 *
 * @example
 * if (!(await signSdkRequest(request, { signingDate, signingRegion, signingService }, keys))) await sdkSigner.sign(request);
 */
export type SdkRequestSigner = (request: SdkHttpRequest, options: SdkSigningArguments, keys: AwsKeys) => Promise<boolean>;
