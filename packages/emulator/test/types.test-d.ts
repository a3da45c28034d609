// What users of @connect-chat/emulator see: checked by `tsc -p tsconfig.json` (and `vitest --typecheck`).
import type { RequestListener } from 'node:http';
import type { ChatKey } from '@connect-chat/core';
import {
  type ChatRecord,
  type EmulatorHandler,
  type Faults,
  type LatencySpikes,
  type RunningEmulator,
  type SimulatedDelivery,
  type TranscriptItem,
  createEmulatorHandler,
  simulateInbound,
  startEmulator,
  validateFaults,
} from '@connect-chat/emulator';
import { describe, expectTypeOf, it } from 'vitest';

describe('what users see', () => {
  it('startEmulator resolves a running emulator whose chats carry Connect’s chat key', () => {
    expectTypeOf(startEmulator).returns.resolves.toEqualTypeOf<RunningEmulator>();
    expectTypeOf<RunningEmulator['url']>().toEqualTypeOf<string>();
    expectTypeOf<RunningEmulator['chats']>().returns.toEqualTypeOf<ChatRecord[]>();
    expectTypeOf<ChatRecord['key']>().toEqualTypeOf<ChatKey>();
    expectTypeOf<ChatRecord['transcript']>().toEqualTypeOf<TranscriptItem[]>();
    expectTypeOf<RunningEmulator['snsCertificateResolver']>().returns.resolves.toEqualTypeOf<string>();
  });

  it('the handler mounts on node:http and exposes the same controls', () => {
    expectTypeOf(createEmulatorHandler).returns.toEqualTypeOf<EmulatorHandler>();
    expectTypeOf<EmulatorHandler>().toExtend<RequestListener>();
    expectTypeOf<EmulatorHandler['subscribe']>().returns.toEqualTypeOf<() => void>();
  });

  it('faults are typed by Connect’s error names', () => {
    expectTypeOf(validateFaults).returns.toEqualTypeOf<Faults>();
    const faults: Faults = { failNext: [{ error: 'ThrottlingException', count: 2 }], errorRates: { 500: 0.1 } };
    expectTypeOf<RunningEmulator['setFaults']>().parameter(0).toEqualTypeOf<Faults>();
    // @ts-expect-error not an error Connect answers
    const wrong: Faults = { failNext: [{ error: 'TeapotException' }] };
    // @ts-expect-error 418 is not a status the emulator injects
    const status: Faults = { errorRates: { 418: 1 } };
    const network: Faults = { latencySpikes: { rate: 0.05, ms: 2_000 } satisfies LatencySpikes, resetRate: 0.01, lostResponseRate: 0.01 };
    // @ts-expect-error a spike needs its duration
    const spike: Faults = { latencySpikes: { rate: 0.05 } };
    void [faults, wrong, status, network, spike];
  });

  it('simulateInbound resolves what the bridge answered', () => {
    expectTypeOf(simulateInbound).returns.resolves.toEqualTypeOf<SimulatedDelivery>();
    // @ts-expect-error only the simulated providers
    simulateInbound({ provider: 'telegram', bridgeUrl: 'http://127.0.0.1:3000', from: '+1', to: '+2', text: 'x', secrets: {} });
  });
});
