export { describeBridgeSmoke } from './describe-bridge-smoke.ts';
export { runToExit, smokeEnv, startBridge } from './bridge-process.ts';
export type { BridgeCommand, LogLine, RunningBridge } from './bridge-process.ts';
