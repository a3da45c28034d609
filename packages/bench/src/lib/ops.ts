import { type Spread, spread } from './stats.ts';

/** One implementation of an operation: `run(i)` does the i-th operation and throws if it did not succeed. */
export interface OpsContender {
  name: string;
  run(index: number): Promise<unknown> | unknown;
  /** Runs the operation on a tampered input: must throw (or the benchmark would time a verifier that accepts anything). */
  tampered(): Promise<unknown> | unknown;
}

async function assertRefusesTampered(contender: OpsContender): Promise<void> {
  let refused = false;
  try {
    await contender.tampered();
  } catch {
    refused = true;
  }
  if (!refused) throw new Error(`${contender.name} accepted a tampered request`);
}

/** What one contender did in one timed run. */
interface OpsRun {
  /** Operations per second of wall time. */
  perSecond: number;
  /** Operations per second of this process's CPU time (every thread: Web Crypto runs on libuv's pool). */
  perCpuSecond: number;
}

/** Sequential operations for `milliseconds`; the clock is read every 16 operations. */
async function timedRun(contender: OpsContender, milliseconds: number, start: number): Promise<OpsRun> {
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  let done = 0;
  let elapsed = 0;
  while (elapsed < milliseconds) {
    for (let n = 0; n < 16; n++) await contender.run(start + done++);
    elapsed = performance.now() - began;
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { perSecond: (done / elapsed) * 1000, perCpuSecond: (done / (cpu.user + cpu.system)) * 1e6 };
}

/** Per contender: ops per wall second and per CPU second, over the rounds. */
export interface OpsResult {
  perSecond: Spread;
  perCpuSecond: Spread;
}

/**
 * Each contender's rate: a warm-up of `milliseconds` each, then `rounds` rounds in which every
 * contender runs for `milliseconds` in turn, the order reversed every other round. Wall-clock
 * ops/s is what users feel; ops per CPU second is steadier on a loaded machine, where an async
 * Web Crypto call also waits for a libuv thread to be scheduled.
 */
export async function compareOps(contenders: readonly OpsContender[], rounds: number, milliseconds: number): Promise<Map<string, OpsResult>> {
  const runs = new Map<string, OpsRun[]>(contenders.map((contender) => [contender.name, []]));
  let start = 0;
  for (const contender of contenders) await assertRefusesTampered(contender);
  for (const contender of contenders) await timedRun(contender, milliseconds, start);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      start += 1_000_003;
      runs.get(contender.name)!.push(await timedRun(contender, milliseconds, start));
    }
  }
  return new Map(
    [...runs].map(([name, list]) => [name, { perSecond: spread(list.map((run) => run.perSecond)), perCpuSecond: spread(list.map((run) => run.perCpuSecond)) }]),
  );
}
