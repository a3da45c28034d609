// The bridge without an HTTP server: each build's bridge (bridge-kit, as the sample apps build it) in
// this one process, webhooks handed straight to its Twilio handler, 50 in flight, sending to the
// Connect stand-in. Each webhook starts in a turn of the event loop of its own, as a server hands
// each request over from its own socket. Started in the turn that finished the previous one, a send
// would find the connection that just answered still marked busy (undici frees it a moment later)
// and the transport's pool would open a second connection per webhook in flight: about a tenth more
// CPU per webhook than behind a server (sections/core-path.ts checks the count). Builds and
// transports take turns round by round, so each round's ratio compares them under the same machine
// load, the same heap and the same JIT state. Forked by sections/core-path.ts: receives its job as
// argv[2] (JSON), answers with its figures over IPC.
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { publicUrl, serverEnv, webhookPath } from '../fixture.ts';
import { TwilioPool, webhookHeaders } from '../lib/twilio-pool.ts';
import type { CorePathTransport } from '../sections/core-path.ts';

export interface CorePathJob {
  /** Repository roots whose built bridge-kit is loaded: this one first, then the baseline if any. */
  roots: string[];
  connectUrl: string;
  /** Webhooks handled at once by each bridge. */
  inFlight: number;
  /** The transports whose bridges are loaded from each root. */
  transports: CorePathTransport[];
  rounds: number;
  webhooksPerRound: number;
  warmupWebhooks: number;
}

/** CPU µs per webhook of each contender (`<root index>:<transport>`, and `hand`), one value per round. */
export type CorePathFigures = Record<string, number[]>;

interface BridgeKit {
  prepareBridge(env: Record<string, string>, logger: unknown): Promise<{ chat: { match(path: string): Handler | undefined }; close(): Promise<void> }>;
  createJsonLogger(level: string, destination: { write(line: string): void }): unknown;
}
interface Handler {
  handle(request: unknown): Promise<{ status: number }>;
}

const job = JSON.parse(process.argv[2] ?? '{}') as CorePathJob;
const env = serverEnv(0, job.connectUrl);
// The SDK's credential chain reads the process's environment.
Object.assign(process.env, env);

const contenders: Array<{ id: string; handler: Handler; close(): Promise<void> }> = [];
for (const [index, root] of job.roots.entries()) {
  const kit = (await import(pathToFileURL(join(root, 'apps/bridge-kit/dist/index.js')).href)) as BridgeKit;
  for (const transport of job.transports) {
    const transportEnv = transport === 'fetch' ? { ...env, CONNECT_CLIENT: 'fetch' } : env;
    // One JSON line per message, as in the samples, written nowhere.
    const bridge = await kit.prepareBridge(transportEnv, kit.createJsonLogger('info', { write() {} }));
    const handler = bridge.chat.match(webhookPath);
    if (!handler) throw new Error(`${root}: no handler at ${webhookPath}`);
    contenders.push({ id: `${index}:${transport}`, handler, close: () => bridge.close() });
  }
}

// The hand-written handler (hand-written.ts) with URLSearchParams, the Web's form parser, for the
// framework's: what a user would write, in the same process, taking its turns with the bridges.
// Imported once the environment is set: it builds its ConnectClient from it.
const { handTwilio } = await import('./hand-written.ts');
const hand: Handler = {
  async handle({ headers, body }: { headers: Headers; body: string }) {
    return { status: await handTwilio(Object.fromEntries(new URLSearchParams(body)), headers.get('x-twilio-signature') ?? undefined, webhookPath) };
  },
} as Handler;
contenders.push({ id: 'hand', handler: hand, close: async () => {} });

const pool = new TwilioPool();
const total = contenders.length * (job.warmupWebhooks + job.rounds * job.webhooksPerRound);
await pool.ensure(total);
let next = 0;
const url = publicUrl + webhookPath;

/** `count` webhooks through one handler, `job.inFlight` at a time; every answer must be 200. */
async function drive(handler: Handler, count: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await nextTurn();
      const webhook = pool.items[next++]!;
      const answer = await handler.handle({ method: 'POST', url, headers: new Headers(webhookHeaders(webhook.signature)), body: webhook.body });
      if (answer.status !== 200) throw new Error(`answered ${answer.status}, expected 200`);
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, worker));
}

for (const contender of contenders) await drive(contender.handler, job.warmupWebhooks);
const figures: CorePathFigures = Object.fromEntries(contenders.map((contender) => [contender.id, [] as number[]]));
for (let round = 0; round < job.rounds; round++) {
  const order = round % 2 === 0 ? contenders : [...contenders].reverse();
  for (const contender of order) {
    const before = process.cpuUsage();
    await drive(contender.handler, job.webhooksPerRound);
    const used = process.cpuUsage(before);
    figures[contender.id]!.push((used.user + used.system) / job.webhooksPerRound);
  }
}
for (const contender of contenders) await contender.close();
process.send?.(figures, () => process.exit(0));
