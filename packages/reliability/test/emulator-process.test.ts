import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startEmulatorProcess } from '../src/emulator-process.ts';

/** Pids of running processes whose command line contains `text` (Linux /proc). */
async function processesRunning(text: string): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const matching = await Promise.all(
    pids.map(async (pid) => ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes(text) ? [Number(pid)] : [])),
  );
  return matching.flat();
}

describe.skipIf(process.platform !== 'linux')('the emulator as its own process', () => {
  it('starts from its CLI with the flags given, serves its chats over HTTP and leaves no process once stopped', async () => {
    const marker = 'reliability-emulator-process-test';
    const emulator = await startEmulatorProcess(['--quota', '5/7', '--error-rate', '500=0.5', '--access-key-id', 'AKIDTEST', '--secret-access-key', marker]);
    try {
      expect(await processesRunning(marker)).toHaveLength(1);
      const faults = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as unknown;
      expect(faults).toMatchObject({ quota: { requestsPerSecond: 5, burst: 7 }, errorRates: { 500: 0.5 } });
      expect(await emulator.chats()).toEqual([]);
      expect(await emulator.peakMemoryKiB()).toBeGreaterThan(0);
    } finally {
      await emulator.stop();
    }
    expect(await processesRunning(marker)).toEqual([]);
    await expect(fetch(`${emulator.url}/_emulator/health`)).rejects.toThrow();
  });

  it('fails with the CLI’s own words when it refuses its flags, and leaves no process', async () => {
    const marker = 'reliability-emulator-refused-flag';
    await expect(startEmulatorProcess(['--quota', marker])).rejects.toThrow(/exited \(2\) before printing its URL.*--quota: expected/s);
    expect(await processesRunning(marker)).toEqual([]);
  });
});
