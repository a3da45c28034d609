export { prepareBridge } from './prepare-bridge.ts';
export type { PreparedBridge } from './prepare-bridge.ts';
export { runBridge } from './run-bridge.ts';
export { createJsonLogger } from './json-logger.ts';
export type { JsonLogger } from './json-logger.ts';
export { messageLogHooks } from './message-log.ts';
export { connectChatOptionsFromEnv } from './config/index.ts';
export type { BridgeConfig, BridgeEnv, DisabledProvider, FromEnvOptions } from './config/index.ts';
