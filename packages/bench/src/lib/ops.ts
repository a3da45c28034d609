import { type Spread, spread } from './stats.ts';

/** One implementation of an operation: `run(i)` does the i-th operation and throws if it did not succeed. */
export interface OpsContender {
  name: string;
  run(index: number): Promise<unknown> | unknown;
}

/** Sequential operations for `milliseconds`; the clock is read every 16 operations. */
async function opsPerSecond(contender: OpsContender, milliseconds: number, start: number): Promise<number> {
  const began = performance.now();
  let done = 0;
  let elapsed = 0;
  while (elapsed < milliseconds) {
    for (let n = 0; n < 16; n++) await contender.run(start + done++);
    elapsed = performance.now() - began;
  }
  return (done / elapsed) * 1000;
}

/**
 * ops/s of each contender: a warm-up of `milliseconds` each, then `rounds` rounds in which every
 * contender runs for `milliseconds` in turn, the order reversed every other round.
 */
export async function compareOps(contenders: readonly OpsContender[], rounds: number, milliseconds: number): Promise<Map<string, Spread>> {
  const values = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  let start = 0;
  for (const contender of contenders) await opsPerSecond(contender, milliseconds, start);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      start += 1_000_003;
      values.get(contender.name)!.push(await opsPerSecond(contender, milliseconds, start));
    }
  }
  return new Map([...values].map(([name, list]) => [name, spread(list)]));
}
