import { describe, expect, it } from 'vitest';
import { acceptedAtLeast, type ProviderLog } from '../src/provider.ts';

const emptyLog = (): ProviderLog => ({ offered: 0, accepted: 0, abandoned: 0, latenciesMs: [], requests: 0, attempts: new Map() });

describe('acceptedAtLeast', () => {
  it('resolves once the providers have had that many messages accepted', async () => {
    const log = emptyLog();
    let finish!: () => void;
    const workload = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const reached = acceptedAtLeast(log, 3, workload);
    log.accepted = 3;
    await expect(reached).resolves.toBeUndefined();
    finish();
  });

  it('fails, saying how many, when the workload ended before that many were accepted', async () => {
    const log = emptyLog();
    log.offered = 10;
    log.accepted = 2;
    await expect(acceptedAtLeast(log, 4, Promise.resolve())).rejects.toThrow(
      'the workload ended with 2 of 10 messages accepted, before the 4 the restart waits for',
    );
  });

  it('fails when the workload failed, rather than waiting forever', async () => {
    const log = emptyLog();
    await expect(acceptedAtLeast(log, 1, Promise.reject(new Error('a conversation threw')))).rejects.toThrow(/the workload ended with 0 of 0/);
  });
});
