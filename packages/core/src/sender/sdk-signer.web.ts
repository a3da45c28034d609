import type { SdkRequestSigner } from './sdk-signer-types.ts';

// `#sdk-signer` in Workers and browsers (see sdk-signer-types.ts): the SDK signs with its own signer,
// which runs on Web Crypto there.
export const signSdkRequest: SdkRequestSigner | undefined = undefined;
