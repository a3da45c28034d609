import type { StopSignal } from './deadlines.ts';
import type { AwsKeys } from './types.ts';

// What the AWS SDK clients core builds use where core runs (package.json `imports` `#sdk-runtime`): on
// Node and Deno `sdk-runtime.ts` (aws4's signer, undici's connection pools); on Bun, in Workers and in
// browsers `sdk-runtime.web.ts` (neither: the SDK's own signer and handler).

/** The request the AWS SDK hands its signer and its request handler: the fields read here (an `HttpRequest` of `@smithy/protocol-http`). */
export interface SdkHttpRequest {
  method: string;
  hostname: string;
  port?: number | undefined;
  path: string;
  protocol?: string | undefined;
  query?: Record<string, string | string[] | null> | undefined;
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
 * own signer signs those. On Node and Deno it is `aws4`'s; on Bun, in Workers and browsers there is none.
 *
 * @example
 * if (!(await signSdkRequest(request, { signingDate, signingRegion, signingService }, keys))) await sdkSigner.sign(request);
 */
export type SdkRequestSigner = (request: SdkHttpRequest, options: SdkSigningArguments, keys: AwsKeys) => Promise<boolean>;

/** The SDK's answer, as its deserializers read it (an `HttpResponse` of `@smithy/protocol-http`). */
export interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** A Node `Readable` (the SDK's Node stream collector reads it). */
  body: unknown;
}

/**
 * An AWS SDK request handler (`requestHandler` of a client's configuration): sends a signed request
 * and hands back the answer, any status; `abortSignal` cuts it, on the wire too.
 *
 * @example
 * const client = new ConnectClient({ region, requestHandler: createSdkRequestHandler() });
 */
export interface SdkRequestHandler {
  handle(request: SdkHttpRequest, options?: { abortSignal?: StopSignal | undefined }): Promise<{ response: SdkHttpResponse }>;
  /** Set when `abortSignal` may be any {@link StopSignal}, not only an `AbortSignal` (undici takes both). */
  readonly takesStopSignal?: boolean;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): Record<string, never>;
  /** Closes its connections (what `client.destroy()` calls). */
  destroy(): void;
}
