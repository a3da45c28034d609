import type { SdkRequestHandler, SdkRequestSigner } from './sdk-runtime-types.ts';

// `#sdk-runtime` in Workers and browsers (see sdk-runtime-types.ts): the SDK signs with its own signer,
// which runs on Web Crypto there, and sends with its own fetch handler.
export const signSdkRequest: SdkRequestSigner | undefined = undefined;

export function createSdkRequestHandler(): SdkRequestHandler | undefined {
  return undefined;
}
