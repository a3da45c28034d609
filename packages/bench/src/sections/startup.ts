import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Contender, type Framework, contenders as allContenders, serverName } from '../contenders.ts';
import { serverEnv, webhookPath } from '../fixture.ts';
import { freePort, spawnServer } from '../lib/processes.ts';
import type { ConnectStandIn } from '../lib/stand-in.ts';
import { type Spread, showSpread, spread } from '../lib/stats.ts';
import { markdownTable, printSection } from '../lib/table.ts';
import { type SignedWebhook, type TwilioPool, webhookHeaders } from '../lib/twilio-pool.ts';

const run = promisify(execFile);
const here = fileURLToPath(new URL('..', import.meta.url));

/** What is imported, each in a fresh `node` process; the published packages first, then what they stand on. */
export const imports = [
  { name: '@connect-chat/core', published: true },
  { name: '@connect-chat/express', published: true },
  { name: '@connect-chat/hono', published: true },
  { name: '@connect-chat/nestjs', published: true },
  { name: 'express', published: false },
  { name: 'hono', published: false },
  { name: '@nestjs/core', published: false },
  { name: '@aws-sdk/client-connect', published: false },
  { name: 'twilio', published: false },
] as const;

export interface ImportResult {
  name: string;
  published: boolean;
  importMillis: Spread;
}

export interface StartResult {
  id: string;
  framework: string;
  role: Contender['role'];
  millis: Spread;
}

/**
 * `import()` of each package in a fresh `node` process (ESM, from this package, so each resolves as
 * for an app that depends on it), timed inside the process around the import alone: Node's own
 * start is left out. @connect-chat/nestjs needs reflect-metadata loaded first, as every Nest app does.
 */
export async function runImportTimes(runs: number): Promise<ImportResult[]> {
  const times = new Map<string, number[]>(imports.map((entry) => [entry.name, []]));
  for (let round = 0; round < runs; round++) {
    for (const entry of round % 2 === 0 ? imports : [...imports].reverse()) {
      const prelude = entry.name.startsWith('@connect-chat/nestjs') || entry.name.startsWith('@nestjs/') ? "await import('reflect-metadata');" : '';
      const script = `${prelude} const t = performance.now(); await import(${JSON.stringify(entry.name)}); process.stdout.write(String(performance.now() - t));`;
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: here });
      times.get(entry.name)!.push(Number(stdout));
    }
  }
  return imports.map((entry) => ({ name: entry.name, published: entry.published, importMillis: spread(times.get(entry.name)!) }));
}

/** POSTs one signed webhook; resolves with the status, or undefined while nothing listens. */
function post(port: number, webhook: SignedWebhook): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: webhookPath, method: 'POST', agent: false, headers: webhookHeaders(webhook.signature) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' ? resolve(undefined) : reject(error)));
    req.end(webhook.body);
  });
}

/**
 * From spawning `node <entry>` to the first webhook answered 200 (sent to Connect, for those that
 * send): signed webhooks are posted every 2 ms until one is answered.
 */
export async function runTimeToFirstWebhook(chosen: readonly Framework[], runs: number, pool: TwilioPool, standIn: ConnectStandIn): Promise<StartResult[]> {
  const list = allContenders.filter((contender) => chosen.includes(contender.framework as Framework));
  const times = new Map<string, number[]>(list.map((contender) => [contender.id, []]));
  for (let round = 0; round < runs; round++) {
    for (const contender of round % 2 === 0 ? list : [...list].reverse()) {
      const port = await freePort();
      const began = performance.now();
      const server = spawnServer(contender.command, serverEnv(port, standIn.url));
      try {
        let status: number | undefined;
        let webhook = pool.fresh();
        for (;;) {
          if (server.child.exitCode !== null) throw new Error(`${contender.id} exited before answering:\n${server.stderr()}`);
          status = await post(port, webhook);
          if (status !== undefined) break;
          await new Promise((resolve) => setTimeout(resolve, 2));
          webhook = pool.fresh();
        }
        if (status !== 200) throw new Error(`${contender.id}: the first webhook was answered ${status}:\n${server.stderr()}`);
        times.get(contender.id)!.push(performance.now() - began);
      } finally {
        await server.stop();
      }
    }
  }
  return list.map((contender) => ({ id: contender.id, framework: contender.framework, role: contender.role, millis: spread(times.get(contender.id)!) }));
}

export function printStartup(importResults: readonly ImportResult[], startResults: readonly StartResult[], runs: number): void {
  printSection(
    'Start-up',
    [
      `Import: \`await import(name)\` timed inside a fresh \`node\` process, ${runs} processes per package; ms, median (min–max). Start → first webhook: from spawning the server process to the first signed webhook answered 200, ${runs} starts per server.`,
    ],
    [
      markdownTable(
        ['package', 'import ms'],
        importResults.map((r) => [r.published ? `${r.name} (published)` : r.name, showSpread(r.importMillis)]),
      ),
      markdownTable(
        ['server', 'start → first webhook ms'],
        startResults.map((r) => [serverName(r), showSpread(r.millis)]),
      ),
    ],
  );
}
