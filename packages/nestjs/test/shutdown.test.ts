import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericBridge, postGenericMessage } from './fixtures.ts';
import { matrix, startNestApp } from './nest-app.ts';

describe.each(matrix)('shutdown (%s, %s)', (factory, platform) => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('app.close() waits for a send that outlived its webhook, so no claim is left in flight', async () => {
    const bridge = genericBridge(emulator.url);
    // Connect answers after the webhook's deadline: the webhook gets 503, the send goes on.
    emulator.setFaults({ latencyMs: 400 });
    const nest = await startNestApp({ factory, platform, options: { ...bridge.options, deadlineMs: 100 } });
    const customer = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    expect((await postGenericMessage(nest.baseUrl, bridge.secret, customer, 'late but sent')).status).toBe(503);
    await nest.close();
    // Closed means settled: the message is in Connect by now, not some time later.
    expect(
      emulator
        .chats()
        .filter((chat) => chat.key.SourceId === customer)
        .flatMap((chat) => chat.transcript.map((item) => item.content)),
    ).toEqual(['late but sent']);
    emulator.setFaults({});
  });
});
