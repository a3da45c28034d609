// The public API of @connect-chat/emulator, by name.

export { startEmulator } from './server.ts';
export type { RunningEmulator } from './server.ts';
export { createEmulatorHandler } from './http/handler.ts';
export type { EmulatorHandler } from './http/handler.ts';
export type { EmulatorCredentials, EmulatorHandlerOptions, EmulatorOptions } from './options.ts';
export { validateFaults } from './faults/faults.ts';
export type { ChatRecord, ChatTransport, ConnectErrorName, EmulatorEvent, EmulatorOperation, FaultStatus, Faults, TranscriptItem } from './types.ts';
export { simulateInbound } from './simulate/simulate-inbound.ts';
export type { SimulatedDelivery, SimulatedProvider, SimulateInboundOptions, SimulatorSecrets } from './simulate/simulate-inbound.ts';
export type { SimulatorOptions } from './simulate/options.ts';
