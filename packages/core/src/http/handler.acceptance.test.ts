import { describe, expect, it } from 'vitest';
import { recordingHooks, testRequest } from '../../test/support/fakes.ts';
import type { AcceptanceQueue, AcceptedMessage } from '../acceptance/types.ts';
import { createWebhookHandler } from './handler.ts';
import { destinationArn, recordingTransport, senderOver, testProvider } from '../../test/support/fakes.ts';

/** A queue as a store would keep it: accepted keys, refusals on demand. */
function memoryQueue(bound = 10) {
  const accepted: AcceptedMessage[] = [];
  let failing = false;
  const queue: AcceptanceQueue = {
    async accept(message) {
      if (failing) throw new Error('the queue is down');
      if (accepted.some((entry) => entry.key === message.key)) return 'duplicate';
      if (accepted.length >= bound) return 'full';
      accepted.push(structuredClone(message));
      return 'accepted';
    },
  };
  return { queue, accepted, fail: () => (failing = true) };
}

function setup(bound?: number) {
  const { provider } = testProvider();
  const connect = recordingTransport();
  const hooks = recordingHooks();
  const queued = memoryQueue(bound);
  const handler = createWebhookHandler({
    provider,
    sender: senderOver(connect.transport),
    route: { destination: { '+12125550101': destinationArn } },
    hooks: hooks.hooks,
    acceptance: queued.queue,
  });
  return { handler, connect, hooks, queued };
}

describe('createWebhookHandler with durable acceptance', () => {
  it('answers 2xx once the message is in the queue, with its events and keys, and sends nothing itself', async () => {
    const { handler, connect, hooks, queued } = setup();
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1', text: 'queued, not sent' }] }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', sent: 0, queued: 1, duplicates: 0, ignored: 0 });
    expect(connect.attempts).toEqual([]);
    expect(queued.accepted).toHaveLength(1);
    expect(queued.accepted[0]).toMatchObject({
      key: 'test:m1',
      events: [{ idempotencyKey: 'test:m1', event: { Event: { Content: 'queued, not sent' } } }],
      address: { provider: 'test', customer: '+14255550182', business: '+12125550101' },
    });
    expect(hooks.of('onOutcome')).toMatchObject([{ outcome: 'queued', status: 200, messageId: 'm1' }]);
    expect(hooks.of('onSent')).toEqual([]);
  });

  it("answers a provider's retry of an accepted message as a duplicate", async () => {
    const { handler, queued } = setup();
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    const retry = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(await retry.json()).toEqual({ status: 'ok', sent: 0, duplicates: 1, ignored: 0 });
    expect(queued.accepted).toHaveLength(1);
  });

  it('answers 503 + Retry-After when the queue is full or fails, so the provider keeps the message', async () => {
    const { handler, queued } = setup(1);
    await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    const full = await handler.fetch(testRequest({ messages: [{ id: 'm2' }] }));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('5');
    expect(await full.json()).toMatchObject({ error: { code: 'ACCEPTANCE_UNAVAILABLE' } });
    queued.fail();
    const down = await handler.fetch(testRequest({ messages: [{ id: 'm3' }] }));
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ error: { code: 'ACCEPTANCE_UNAVAILABLE' } });
  });

  it('refuses an acceptance option that is not a queue, naming it', () => {
    const { provider } = testProvider();
    const connect = recordingTransport();
    expect(() =>
      createWebhookHandler({
        provider,
        sender: senderOver(connect.transport),
        route: { destination: destinationArn },
        acceptance: {} as AcceptanceQueue,
      }),
    ).toThrow('options.acceptance: expected an AcceptanceQueue (accept)');
  });
});
