import type { SdkRequestHandler, SdkRequestSigner } from './sdk-runtime-types.ts';

// `#sdk-runtime` on Bun, in Workers and in browsers (see sdk-runtime-types.ts): the SDK signs with its
// own signer and sends with its own handler.
export const signSdkRequest: SdkRequestSigner | undefined = undefined;

export function createSdkRequestHandler(): SdkRequestHandler | undefined {
  return undefined;
}
