// The emulator depends on core, so core cannot depend on it back: turbo refuses a cyclic package
// graph. Core's tests reach the emulator's source here, in this one place.
export { startEmulator } from '../../../emulator/src/index.ts';
export type { ChatRecord, Faults, RunningEmulator } from '../../../emulator/src/index.ts';
