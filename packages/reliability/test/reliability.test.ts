import { redisSkipReason } from '@connect-chat/store-contract';
import { describe, expect, it } from 'vitest';
import { formatReport, runReliability } from '../src/run.ts';

const messages = Number(process.env['RELIABILITY_MESSAGES'] ?? 2_000);
const skipReason = redisSkipReason();

// The participant transport's calls carry ClientTokens: even a crash mid-send duplicates nothing, so
// its instance is killed. SendChatIntegrationEvent has no idempotency token: a crash between Connect's
// acceptance and the claim's completion sends that message again after the claim expires (the README
// says so), so its instance is restarted as a deploy does, letting sends in flight finish.
const runs = [
  { transport: 'participant', restart: 'kill' },
  { transport: 'integration-event', restart: 'stop' },
] as const;

describe.skipIf(skipReason !== undefined).each(runs)('reliability run ($transport, one instance $restart)', ({ transport, restart }) => {
  it(`${messages} messages through two instances on one Redis, Connect throttling and failing: nothing lost, doubled or reordered`, async () => {
    const report = await runReliability({
      transport,
      restart,
      messages,
      perConversation: 10,
      quota: { requestsPerSecond: 60, burst: 90 },
      serverErrorRate: 0.02,
    });
    console.log(formatReport(report));
    expect({ lost: report.lost, duplicates: report.duplicates, outOfOrder: report.outOfOrder, abandoned: report.abandoned }).toEqual({
      lost: 0,
      duplicates: 0,
      outOfOrder: 0,
      abandoned: 0,
    });
    expect(report.accepted).toBe(report.offered);
  });
});
