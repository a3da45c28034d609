import { type ConnectChat, createConnectChat, createTwilioProvider, silentLogger, textMessage } from '@connect-chat/core';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { redisSkipReason, startRedis, type TestRedis } from '@connect-chat/store-contract';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectRedis,
  createRedisAcceptanceQueue,
  createRedisIdempotencyStore,
  type Drain,
  type RedisAcceptanceQueue,
  type RedisConnection,
} from '../src/index.ts';

const skipReason = redisSkipReason();
const credentials = { accessKeyId: 'AKIDDURABLE', secretAccessKey: 'durable-secret' };
const authToken = 'twilio-durable';
const destination = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-durable';

/** One bridge instance in durable mode: its own Redis connection, queue, chat and drain. */
interface Instance {
  redis: RedisConnection;
  queue: RedisAcceptanceQueue;
  chat: ConnectChat;
  drain?: Drain;
}

describe.skipIf(skipReason !== undefined)('durable acceptance on Redis streams', () => {
  let server: TestRedis;
  let emulator: RunningEmulator;
  let instances: Instance[] = [];
  let prefix: string;

  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const instance of instances) {
      await instance.drain?.stop(1_000);
      await instance.redis.close();
    }
    instances = [];
    await emulator?.close();
  });

  async function startInstance(): Promise<Instance> {
    const redis = await connectRedis({ url: server.url });
    const queue = createRedisAcceptanceQueue({ redis, prefix, partitions: 4 });
    const chat = createConnectChat({
      providers: [createTwilioProvider({ authToken })],
      route: { destination },
      sender: { region: 'us-east-1', credentials, endpoint: emulator.url, rateLimit: false, retry: { baseDelayMs: 5, maxDelayMs: 20 } },
      idempotency: createRedisIdempotencyStore({ redis, prefix }),
      acceptance: queue,
      logger: silentLogger,
    });
    const instance = { redis, queue, chat };
    instances.push(instance);
    return instance;
  }

  const startDrain = (instance: Instance, leaseMs = 10_000) => {
    instance.drain = instance.queue.drain({
      sender: instance.chat.sender,
      store: createRedisIdempotencyStore({ redis: instance.redis, prefix }),
      logger: silentLogger,
      leaseMs,
      pollMs: 20,
    });
    return instance.drain;
  };

  const webhook = (from: string, body: string, messageSid: string) =>
    createTwilioRequest({
      url: 'https://bridge.example.com/webhooks/twilio',
      authToken,
      params: twilioMessageParams({ from, to: '+12065550100', body, messageSid }),
    });

  const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;
  const transcript = (customer: string) =>
    emulator
      .chats()
      .filter((chat) => chat.key.SourceId === customer)
      .reverse()
      .flatMap((chat) => chat.transcript.map((item) => item.content));

  async function until(condition: () => boolean | Promise<boolean>, timeout = 10_000): Promise<void> {
    await expect.poll(condition, { timeout, interval: 20 }).toBe(true);
  }

  it('answers 2xx once written, before Connect has it; the drain then sends every message in order; a retry is a duplicate', async () => {
    prefix = `durable-${crypto.randomUUID()}:`;
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const instance = await startInstance();
    const texts = ['one', 'two', 'three', 'four', 'five'];
    for (const [i, text] of texts.entries()) {
      const response = await instance.chat.handler('twilio').fetch(await webhook('+14155550700', text, sid(i)));
      expect(response.status).toBe(200);
    }
    // Nothing reached Connect yet: no drain runs.
    expect(emulator.chats()).toEqual([]);
    expect(await instance.queue.backlog()).toBe(5);
    const retry = await instance.chat.handler('twilio').fetch(await webhook('+14155550700', 'one', sid(0)));
    expect(retry.status).toBe(200);
    expect(await instance.queue.backlog()).toBe(5);
    startDrain(instance);
    await until(async () => (await instance.queue.backlog()) === 0);
    expect(transcript('+14155550700')).toEqual(texts);
  });

  it("a crashed instance's unacknowledged messages are claimed by another and sent first, in order; a part it had sent is not sent again", async () => {
    prefix = `durable-${crypto.randomUUID()}:`;
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const [a, b] = [await startInstance(), await startInstance()];
    const texts = ['first', 'second', 'third'];
    for (const [i, text] of texts.entries()) {
      expect((await a.chat.handler('twilio').fetch(await webhook('+14155550701', text, sid(100 + i)))).status).toBe(200);
    }
    // What instance a leaves when it is killed mid-batch: its leases held, every entry read and
    // unacknowledged, and the first message sent to Connect and completed, but not acknowledged.
    const crashed = 'crashed-instance';
    for (let p = 0; p < 4; p++) {
      const tag = `${prefix}{accept:${p}}`;
      await a.redis.sendCommand(['SET', `${tag}:lease`, crashed, 'PX', '500']);
      await a.redis.sendCommand(['XGROUP', 'CREATE', `${tag}:stream`, 'drain', '0', 'MKSTREAM']);
      await a.redis.sendCommand(['XREADGROUP', 'GROUP', 'drain', crashed, 'COUNT', '100', 'STREAMS', `${tag}:stream`, '>']);
    }
    await a.chat.sender.send({ ...textOf('+14155550701', 'first') });
    await createRedisIdempotencyStore({ redis: a.redis, prefix }).complete(`twilio:${sid(100)}`);
    expect(await a.queue.backlog()).toBe(3);
    startDrain(b, 300);
    await until(async () => (await b.queue.backlog()) === 0);
    expect(transcript('+14155550701')).toEqual(texts);
  });

  it('a stopped drain frees its partitions at once: the other instance sends what arrives next without waiting for the lease', async () => {
    prefix = `durable-${crypto.randomUUID()}:`;
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const [a, b] = [await startInstance(), await startInstance()];
    startDrain(a, 60_000);
    expect((await a.chat.handler('twilio').fetch(await webhook('+14155550702', 'to a', sid(200)))).status).toBe(200);
    await until(() => transcript('+14155550702').length === 1);
    await a.drain?.stop();
    a.drain = undefined;
    startDrain(b, 60_000);
    expect((await b.chat.handler('twilio').fetch(await webhook('+14155550702', 'to b', sid(201)))).status).toBe(200);
    await until(() => transcript('+14155550702').length === 2);
    expect(transcript('+14155550702')).toEqual(['to a', 'to b']);
  });

  it('a batch whose chats all wait to retry at once warns of no listener leak, and sends each once Connect is back', async () => {
    prefix = `durable-${crypto.randomUUID()}:`;
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const instance = await startInstance();
    const customers = Array.from({ length: 60 }, (_, i) => `+1415555${String(800 + i).padStart(4, '0')}`);
    for (const [i, customer] of customers.entries()) {
      expect((await instance.chat.handler('twilio').fetch(await webhook(customer, 'hello', sid(300 + i)))).status).toBe(200);
    }
    emulator.setFaults({ errorRates: { 500: 1 } });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    let retries = 0;
    const logger = { ...silentLogger, warn: () => void retries++ };
    try {
      instance.drain = instance.queue.drain({
        sender: instance.chat.sender,
        store: createRedisIdempotencyStore({ redis: instance.redis, prefix }),
        logger,
        pollMs: 20,
      });
      // Every chat's sends failed twice, and the chats wait to try again at once. On a machine as
      // busy as CI's, the retries and the drain after them take a while: allow it.
      await until(() => retries >= customers.length * 2, 60_000);
      emulator.setFaults({});
      await until(async () => (await instance.queue.backlog()) === 0, 60_000);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
    for (const customer of customers) expect(transcript(customer)).toEqual(['hello']);
    // 180 sends paced to the API's quota (17/s after a burst of 26) take about 10 s alone, 15–17 s in CI: the waits above set the budget.
  }, 120_000);

  it('refuses with 503 when the backlog is at its bound, and when Redis is gone', async () => {
    prefix = `durable-${crypto.randomUUID()}:`;
    emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const redis = await connectRedis({ url: server.url });
    const queue = createRedisAcceptanceQueue({ redis, prefix, partitions: 1, maxBacklog: 1 });
    const chat = createConnectChat({
      providers: [createTwilioProvider({ authToken })],
      route: { destination },
      sender: { region: 'us-east-1', credentials, endpoint: emulator.url },
      acceptance: queue,
      logger: silentLogger,
    });
    expect((await chat.handler('twilio').fetch(await webhook('+14155550703', 'fits', sid(300)))).status).toBe(200);
    const full = await chat.handler('twilio').fetch(await webhook('+14155550703', 'does not fit', sid(301)));
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).not.toBeNull();
    await redis.close();
    expect((await chat.handler('twilio').fetch(await webhook('+14155550703', 'no redis', sid(302)))).status).toBe(503);
  });
});

function textOf(customer: string, text: string) {
  return textMessage({ SourceId: customer, DestinationId: destination, Subtype: 'connect:sms' }, text);
}
