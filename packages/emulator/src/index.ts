// The public API of @connect-chat/emulator, by name.

export { startEmulator } from './server.ts';
export type { RunningEmulator } from './server.ts';
export { createEmulatorHandler } from './http/handler.ts';
export type { EmulatorHandler } from './http/handler.ts';
export type { EmulatorCredentials, EmulatorHandlerOptions, EmulatorOptions } from './options.ts';
export { validateFaults } from './faults/faults.ts';
export type {
  ChannelErrorName,
  ChannelOperation,
  ChatRecord,
  ChatTransport,
  ConnectErrorName,
  EmulatorEvent,
  EmulatorOperation,
  FaultStatus,
  Faults,
  LatencySpikes,
  MessageVisibility,
  ParticipantRole,
  PhoneChannel,
  PhoneMessage,
  TranscriptItem,
} from './types.ts';
export { EmulatorChatError } from './agent/agent-reply.ts';
export type { AgentReply, AgentReplyResult } from './agent/agent-reply.ts';
export type { StreamDelivery } from './stream/stream-publisher.ts';
export type { StreamSubscription } from './stream/subscriptions.ts';
export { chatEndedContentType, emulatedInstanceId } from './stream/streamed-item.ts';
export type { PhoneOptions } from './phone/phone-options.ts';
export { simulateInbound } from './simulate/simulate-inbound.ts';
export type { SimulatedDelivery, SimulatedProvider, SimulateInboundOptions, SimulatorSecrets } from './simulate/simulate-inbound.ts';
export type { SimulatorOptions } from './simulate/options.ts';
