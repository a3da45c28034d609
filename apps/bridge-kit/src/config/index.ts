// @connect-chat/bridge-kit/config: the sample bridges' environment contract, with no Node API, so the
// Workers entry reads the same variables as the Node bridges.
export { connectChatOptionsFromEnv } from './from-env.ts';
export type { BridgeConfig, BridgeEnv, DisabledProvider, FromEnvOptions } from './from-env.ts';
