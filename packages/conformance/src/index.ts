// The public API of @connect-chat/conformance, by name.
export { describeConformance } from './describe-conformance.ts';
export { createSnsRedirectFetch } from './sns-redirect-fetch.ts';
export type { ConformanceClient, ConformanceSetup, ConformanceTarget, ConformanceTransport } from './types.ts';
