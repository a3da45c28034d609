import { fileURLToPath } from 'node:url';
import { type RunningBridge, startBridge } from '@connect-chat/bridge-kit/smoke';
import type { ChatRecord } from '@connect-chat/emulator';
import { connectRedis, createRedisAcceptanceQueue } from '@connect-chat/redis';
import { startRedis, type TestRedis } from '@connect-chat/store-contract';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process.ts';
import { acceptedAtLeast, type Conversation, type DeliveryAttempt, isAccepted, playConversation, type ProviderLog } from './provider.ts';
import { startRoundRobinProxy } from './proxy.ts';
import { type SnsHost, startSnsHost } from './sns-host.ts';
import { whenThisProcessEnds } from './when-this-process-ends.ts';

/** What a run is: its size, the quota Connect grants, the faults it injects. */
export interface RunOptions {
  transport: 'integration-event' | 'participant';
  messages: number;
  /** Messages per conversation. */
  perConversation: number;
  /** Who delivers the conversations, in turn (each signed and retried as that provider does). */
  providers: ReadonlyArray<Conversation['provider']>;
  /** Connect's quota in the emulator, per operation. */
  quota: { requestsPerSecond: number; burst: number };
  /** Share of Connect calls answered 500. */
  serverErrorRate: number;
  /** How one instance goes away mid-run: `kill` (SIGKILL, a crash) or `stop` (SIGTERM, a deploy). */
  restart: 'kill' | 'stop';
  /** `connect`: 2xx once Connect accepted; `durable`: 2xx once on the Redis stream (ACCEPT_MODE). */
  accept: 'connect' | 'durable';
  /** Injected at Connect besides the 500s: latency spikes, connections reset before handling, answers lost after it. */
  network: { latencySpikes: { rate: number; ms: number }; resetRate: number; lostResponseRate: number };
}

/** The figures of a run. */
export interface RunReport {
  options: RunOptions;
  offered: number;
  accepted: number;
  abandoned: number;
  sent: number;
  duplicates: number;
  lost: number;
  outOfOrder: number;
  /**
   * Each doubled message: where and when Connect holds its copies, every delivery attempt the
   * provider made (when, which instance, the answer) and what the instances logged for it.
   */
  duplicated: Array<{ text: string; copies: Array<{ contactId: string; at: string }>; deliveries: DeliveryAttempt[]; logged: string[] }>;
  /** Each message its provider gave up on: every delivery attempt and what the instances logged for it. */
  givenUp: Array<{ text: string; deliveries: DeliveryAttempt[]; logged: string[] }>;
  /** When the instance went away (ISO time), to read the attempts above against. */
  restartedAt: string;
  /** The exit code of the instance stopped mid-run (null when killed), and the end of its stderr. */
  restartedExit: number | null;
  restartedStderr: string;
  chats: number;
  conversations: number;
  durationS: number;
  goodputPerQuota: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  peakMemoryMiB: number[];
}

const credentials = { accessKeyId: 'AKIDRELIABILITY', secretAccessKey: 'reliability-secret' };
const secrets = { twilioAuthToken: 'reliability-twilio-token', whatsAppAppSecret: 'reliability-whatsapp-secret' };
const snsTopicArn = 'arn:aws:sns:us-east-1:111122223333:reliability-inbound-sms';
const destinations = {
  'integration-event': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-reliability',
  participant: 'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666',
};
const expressBridge = { command: process.execPath, args: ['dist/main.js'], cwd: fileURLToPath(new URL('../../../apps/express-bridge/', import.meta.url)) };

/**
 * Starts redis-server, the emulator as its own process (its CLI, with the quota and every fault as
 * flags), two Express bridge instances sharing Redis behind a round-robin proxy; plays every
 * conversation as its provider would (in order, retried); kills one instance once a third of the
 * messages are accepted and starts a new one; then compares the transcripts the emulator serves
 * with what was offered. Every process it started is stopped, whether the run passes or fails.
 */
export async function runReliability(options: RunOptions): Promise<RunReport> {
  // Everything started is stopped in reverse order, whatever fails and wherever: no process outlives the run.
  const stops: Array<() => Promise<unknown>> = [];
  // A run still going when the test runner ends (vitest's SIGTERM after a timeout): each stop signals
  // its process before its first await, so even that synchronous last moment leaves nothing running.
  const forget = whenThisProcessEnds(() => {
    for (const stop of stops) void stop();
  });
  const report = await playRun(options, stops).catch(async (error: unknown) => {
    forget();
    await stopAll(stops); // the run's own error is the one worth reading
    throw error;
  });
  forget();
  const unstopped = await stopAll(stops);
  if (unstopped.length > 0) throw new AggregateError(unstopped, 'the run could not stop everything it started');
  return report;
}

/** Stops each in reverse order, even when one before it fails to stop; returns what failed. */
async function stopAll(stops: Array<() => Promise<unknown>>): Promise<unknown[]> {
  const unstopped: unknown[] = [];
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => unstopped.push(error));
  return unstopped;
}

/** The run itself; each thing it starts goes onto `stops`, as soon as it started. */
async function playRun(options: RunOptions, stops: Array<() => Promise<unknown>>): Promise<RunReport> {
  const instances: RunningBridge[] = [];
  const redis = await startRedis();
  stops.push(() => redis.stop());
  const emulator = await startEmulatorProcess(emulatorFlags(options));
  stops.push(() => emulator.stop());
  const proxy = await startRoundRobinProxy();
  stops.push(() => proxy.close());
  const sns = await startSnsHost();
  stops.push(() => sns.close());
  stops.push(() => Promise.all(instances.map((instance) => instance.stop())));
  const providerSecrets = { ...secrets, sns: { signer: sns.signer, topicArn: snsTopicArn } };
  const env = bridgeEnv(options, redis, emulator.url, proxy.url, sns);
  const everyInstance: RunningBridge[] = [];
  // Both start together; the one that started is stopped even when the other failed to.
  const starts = await Promise.allSettled([startBridge(expressBridge, env), startBridge(expressBridge, env)]);
  for (const start of starts) if (start.status === 'fulfilled') instances.push(start.value);
  const failed = starts.find((start) => start.status === 'rejected');
  if (failed) throw failed.reason;
  everyInstance.push(...instances);
  proxy.setTargets(instances.map((instance) => instance.bridgeUrl));
  const conversations = workload(options);
  const log: ProviderLog = { offered: 0, accepted: 0, abandoned: 0, latenciesMs: [], requests: 0, attempts: new Map() };
  const started = performance.now();
  const played = Promise.all(
    conversations.map((conversation) => playConversation(conversation, { url: proxy.url, secrets: providerSecrets, giveUpAfterMs: 120_000 }, log)),
  );
  const restart = restartOneInstance(acceptedAtLeast(log, options.messages / 3, played), options.restart, instances, proxy, env);
  const [, restarted] = await Promise.all([played, restart]);
  everyInstance.push(restarted.replacement);
  if (options.accept === 'durable') await drained(redis, options.messages, emulator, everyInstance);
  const durationS = (performance.now() - started) / 1000;
  const peakMemoryMiB = (await Promise.all(instances.map((instance) => instance.peakMemoryKiB()))).map((kib) => Math.round((kib ?? 0) / 1024));
  const { duplicated, ...compared } = compare(conversations, await emulator.chats());
  return {
    ...compared,
    duplicated: duplicated.map((doubled) => ({ ...doubled, ...explain(doubled.text, log, everyInstance) })),
    givenUp: givenUpTexts(log).map((text) => ({ text, ...explain(text, log, everyInstance) })),
    restartedAt: restarted.at,
    restartedExit: restarted.exit,
    restartedStderr: restarted.stderr.slice(-2_000),
    ...latencies(log),
    offered: log.offered,
    accepted: log.accepted,
    abandoned: log.abandoned,
    requests: log.requests,
    options,
    durationS,
    goodputPerQuota: log.accepted / durationS / options.quota.requestsPerSecond,
    peakMemoryMiB,
  };
}

/**
 * The emulator's command line: the run's quota for every operation, the 500s, the latency spikes,
 * the resets and the lost answers, and room for every chat and transcript item of the run.
 */
function emulatorFlags(options: RunOptions): string[] {
  const { quota, serverErrorRate, network } = options;
  return [
    '--access-key-id',
    credentials.accessKeyId,
    '--secret-access-key',
    credentials.secretAccessKey,
    '--max-chats',
    '1000000',
    '--max-transcript-items',
    '10000',
    '--quota',
    `${quota.requestsPerSecond}/${quota.burst}`,
    '--error-rate',
    `500=${serverErrorRate}`,
    '--latency-spikes',
    `${network.latencySpikes.rate}:${network.latencySpikes.ms}`,
    '--reset-rate',
    String(network.resetRate),
    '--lost-response-rate',
    String(network.lostResponseRate),
  ];
}

function bridgeEnv(options: RunOptions, redis: TestRedis, emulatorUrl: string, publicUrl: string, sns: SnsHost): Record<string, string> {
  return {
    ...sns.bridgeEnv,
    PORT: '0',
    LOG_LEVEL: 'info', // the start line tells where each instance listens
    REDIS_URL: redis.url,
    CONNECT_TRANSPORT: options.transport,
    ACCEPT_MODE: options.accept,
    CONNECT_DESTINATION_ID: destinations[options.transport],
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_CONNECT: emulatorUrl,
    AWS_ENDPOINT_URL_CONNECTPARTICIPANT: emulatorUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    TWILIO_AUTH_TOKEN: secrets.twilioAuthToken,
    WHATSAPP_APP_SECRET: secrets.whatsAppAppSecret,
    SNS_TOPIC_ARNS: snsTopicArn,
    WHATSAPP_VERIFY_TOKEN: 'reliability-verify-token',
    PUBLIC_URL: publicUrl,
    // Each instance paces to the whole quota: together they offer twice what Connect grants.
    CONNECT_RATE_LIMIT: `${options.quota.requestsPerSecond}/${options.quota.burst}`,
  };
}

/**
 * Durable mode: the run ends once every accepted message left the queue (acknowledged after its
 * send). A queue that stops draining fails the run with what is left per partition (length, pending
 * entries and their consumers, the lease holder) and what the instances logged about the queue.
 */
async function drained(redis: TestRedis, messages: number, emulator: EmulatorProcess, instances: RunningBridge[]): Promise<void> {
  const client = await connectRedis({ url: redis.url });
  try {
    const queue = createRedisAcceptanceQueue({ redis: client });
    const until = Date.now() + 120_000 + messages * 20;
    while ((await queue.backlog()) > 0) {
      if (Date.now() > until) {
        const partitions = await Promise.all(Array.from({ length: 8 }, (_, p) => partitionState(client, p, instances)));
        throw new Error(
          [
            `the queue still holds ${await queue.backlog()} messages; Connect holds ${(await emulator.chats()).length} chats`,
            ...partitions.flat(),
            ...queueLogSummary(instances),
            ...lastWarnings(instances),
          ].join('\n'),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.close();
  }
}

/**
 * One partition's stream as Redis holds it: length, pending entries per consumer, the lease's
 * holder; and for its oldest waiting message, the last lines any instance logged about it.
 */
async function partitionState(client: Awaited<ReturnType<typeof connectRedis>>, p: number, instances: RunningBridge[]): Promise<string[]> {
  const tag = `connect-chat:{accept:${p}}`;
  const length = await client.sendCommand(['XLEN', `${tag}:stream`]);
  const pending = await client.sendCommand(['XPENDING', `${tag}:stream`, 'drain']).catch((error: unknown) => String(error));
  const holder = await client.get(`${tag}:lease`);
  const oldest = (await client.sendCommand(['XRANGE', `${tag}:stream`, '-', '+', 'COUNT', '1'])) as Array<[string, string[]]>;
  const fields = oldest[0]?.[1] ?? [];
  const key = fields.length > 0 ? (JSON.parse(fields[fields.indexOf('message') + 1] ?? '{}') as { key?: string }).key : undefined;
  const about = instances.flatMap((instance) =>
    instance.lines
      .filter((line) => key !== undefined && line['key'] === key)
      .slice(-4)
      .map(
        (line) =>
          `    ${String(line['time'])} ${instance.bridgeUrl} ${line.msg} ${String(line['code'] ?? '')}: ${JSON.stringify(line['error'] ?? '').slice(0, 300)}`,
      ),
  );
  return [`  partition ${p}: ${String(length)} queued, pending ${JSON.stringify(pending)}, lease ${String(holder)}, oldest ${String(key)}`, ...about];
}

/** Each instance's last warnings about queued messages: which messages, and the error's own words. */
function lastWarnings(instances: RunningBridge[]): string[] {
  return instances.flatMap((instance) =>
    instance.lines
      .filter((line) => line.level === 'warn' && line['key'] !== undefined)
      .slice(-8)
      .map(
        (line) =>
          `  last ${instance.bridgeUrl} ${String(line['time'])} ${String(line['key'])} ${String(line['code'] ?? '')} ${JSON.stringify(line['error'] ?? '').slice(0, 400)}`,
      ),
  );
}

/** The warnings and errors every instance logged, counted by message and code. */
function queueLogSummary(instances: RunningBridge[]): string[] {
  const counts = new Map<string, number>();
  for (const instance of instances) {
    for (const line of instance.lines) {
      if (line.level !== 'warn' && line.level !== 'error') continue;
      const key = `${instance.bridgeUrl} ${line.level} ${line.msg} ${String(line['code'] ?? '')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([key, count]) => `  logged ${count}× ${key}`);
}

const providerNames = { twilio: 'Twilio SMS', whatsapp: 'WhatsApp', sns: 'End User Messaging SMS over SNS' } as const;

function workload(options: RunOptions): Conversation[] {
  const count = Math.ceil(options.messages / options.perConversation);
  return Array.from({ length: count }, (_, id) => ({
    id,
    provider: options.providers[id % options.providers.length]!,
    customer: `+1415${String(id).padStart(7, '0')}`,
    texts: Array.from({ length: Math.min(options.perConversation, options.messages - id * options.perConversation) }, (_, n) => `c${id} #${n}`),
  }));
}

/**
 * Once `due` resolves (a third of the messages accepted): stops instance 0 — killed (SIGKILL, a
 * crash) or stopped (SIGTERM, a deploy) — then starts a replacement behind the proxy.
 */
async function restartOneInstance(
  due: Promise<void>,
  how: RunOptions['restart'],
  instances: RunningBridge[],
  proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>,
  env: Record<string, string>,
): Promise<{ at: string; exit: number | null; stderr: string; replacement: RunningBridge }> {
  await due;
  const at = new Date().toISOString();
  const [victim] = instances.splice(0, 1);
  // Out of the rotation first, as a load balancer's health check would take it out.
  proxy.setTargets(instances.map((instance) => instance.bridgeUrl));
  const exit = how === 'kill' ? await victim!.kill().then(() => null) : await victim!.stop();
  const replacement = await startBridge(expressBridge, env);
  instances.push(replacement);
  proxy.setTargets(instances.map((instance) => instance.bridgeUrl));
  return { at, exit, stderr: victim!.stderr(), replacement };
}

/** The messages whose provider gave up on them: their last attempt was not answered 2xx. */
function givenUpTexts(log: ProviderLog): string[] {
  return [...log.attempts].filter(([, attempts]) => !isAccepted(attempts.at(-1)?.status ?? 0)).map(([text]) => text);
}

/** A message's delivery attempts as its provider made them, and the log lines of every instance that handled it. */
function explain(text: string, log: ProviderLog, instances: RunningBridge[]) {
  const deliveries = log.attempts.get(text) ?? [];
  const messageId = deliveries[0]?.messageId;
  const logged = instances.flatMap((instance) =>
    instance.lines
      .filter((line) => messageId !== undefined && line['messageId'] === messageId)
      .map(
        (line) =>
          `${String(line['time'])} ${instance.bridgeUrl} ${line.msg}: ${String(line['outcome'])} ${String(line['status'])} ${String(line['code'] ?? '')} ${String(line['latencyMs'])} ms`,
      ),
  );
  return { deliveries, logged: logged.sort() };
}

/** Per conversation: what Connect holds against what was offered, in order. */
function compare(conversations: Conversation[], chats: ChatRecord[]) {
  const received = new Map<string, string[]>();
  const copies = new Map<string, Array<{ contactId: string; at: string }>>();
  for (const chat of [...chats].reverse()) {
    const texts = received.get(chat.key.SourceId) ?? [];
    for (const item of chat.transcript) {
      if (item.type !== 'MESSAGE') continue;
      texts.push(item.content ?? '');
      copies.set(item.content ?? '', [...(copies.get(item.content ?? '') ?? []), { contactId: chat.contactId, at: item.at }]);
    }
    received.set(chat.key.SourceId, texts);
  }
  const duplicated = [...copies].filter(([, where]) => where.length > 1).map(([text, where]) => ({ text, copies: where }));
  let sent = 0;
  let duplicates = 0;
  let lost = 0;
  let outOfOrder = 0;
  for (const conversation of conversations) {
    const texts = received.get(conversation.customer) ?? [];
    sent += texts.length;
    duplicates += texts.length - new Set(texts).size;
    lost += conversation.texts.filter((text) => !texts.includes(text)).length;
    const firsts = conversation.texts.map((text) => texts.indexOf(text)).filter((index) => index >= 0);
    outOfOrder += firsts.filter((index, i) => i > 0 && index < firsts[i - 1]!).length;
  }
  return { sent, duplicates, duplicated, lost, outOfOrder, chats: chats.length, conversations: conversations.length };
}

function latencies(log: ProviderLog) {
  const sorted = [...log.latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/** The figures as the README quotes them. */
export function formatReport(report: RunReport): string {
  const { options: o } = report;
  return [
    `reliability run (${o.transport}, accept ${o.accept}): ${o.messages} messages in ${report.conversations} conversations (from ${o.providers.map((provider) => providerNames[provider]).join(', ')} in turn), quota ${o.quota.requestsPerSecond}/s burst ${o.quota.burst}, ${o.serverErrorRate * 100}% 500s, ${o.network.latencySpikes.rate * 100}% spikes of ${o.network.latencySpikes.ms} ms, ${o.network.resetRate * 100}% resets, ${o.network.lostResponseRate * 100}% lost answers, one instance ${o.restart === 'kill' ? 'killed (SIGKILL)' : 'restarted (SIGTERM)'} mid-run`,
    `  offered ${report.offered}  accepted ${report.accepted}  abandoned ${report.abandoned}  sent ${report.sent}  duplicates ${report.duplicates}  lost ${report.lost}  out of order ${report.outOfOrder}`,
    `  chats ${report.chats}  webhook requests ${report.requests}  duration ${report.durationS.toFixed(1)} s  goodput ÷ quota ${report.goodputPerQuota.toFixed(2)}`,
    `  webhook latency p50 ${report.p50Ms} ms  p99 ${report.p99Ms} ms  peak RSS per instance ${report.peakMemoryMiB.join(' / ')} MiB`,
    ...(report.restartedExit !== null && report.restartedExit !== 0
      ? [`  the stopped instance exited ${report.restartedExit}: ${report.restartedStderr}`]
      : []),
    ...report.duplicated
      .slice(0, 10)
      .flatMap(({ text, copies, deliveries, logged }) => [
        `  doubled "${text}": ${copies.map((copy) => `${copy.at} in ${copy.contactId}`).join(', ')}`,
        ...deliveries.map((d) => `    delivered ${d.at} → ${d.servedBy ?? 'no instance'}: ${d.status} after ${d.ms} ms`),
        ...logged.map((line) => `    logged ${line}`),
      ]),
    ...(report.givenUp.length > 0 ? [`  given up by their provider (the instance went away at ${report.restartedAt}):`] : []),
    ...report.givenUp
      .slice(0, 10)
      .flatMap(({ text, deliveries, logged }) => [
        `  "${text}"`,
        ...deliveries.map((d) => `    delivered ${d.at} → ${d.servedBy ?? 'no instance'}: ${d.status} after ${d.ms} ms`),
        ...logged.map((line) => `    logged ${line}`),
      ]),
  ].join('\n');
}
