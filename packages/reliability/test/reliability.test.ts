import { redisSkipReason } from '@connect-chat/store-contract';
import { describe, expect, it } from 'vitest';
import { formatReport, runReliability } from '../src/run.ts';

const messages = Number(process.env['RELIABILITY_MESSAGES'] ?? 2_000);
const skipReason = redisSkipReason();

// Connect's network misbehaves in every run: a share of answers comes late (spikes below the attempt
// timeout) and a share of connections is reset before the request is handled. Lost answers (handled,
// never answered) only where ClientTokens make a retry harmless: SendChatIntegrationEvent has no
// idempotency token, so no client can retry one without doubling it.
const spikesAndResets = { latencySpikes: { rate: 0.01, ms: 1_500 }, resetRate: 0.01 };

// Which providers: Meta and SNS retry a refused webhook for minutes to hours, Twilio for 15 s at
// most (its connection overrides at their maximum; by default it retries no 5xx at all). Answering
// only once Connect accepted (accept: connect) cannot keep a Twilio message through a burst that
// makes it wait longer: those go through durable acceptance, which answers at once (see the README).
//
// The participant transport's calls carry ClientTokens: even a crash mid-send duplicates nothing, so
// its instance is killed. SendChatIntegrationEvent has none: a crash between Connect's acceptance and
// the claim's completion sends that message again after the claim expires (the README says so), so
// its instance is restarted as a deploy does, letting sends in flight finish. Durable acceptance
// runs on the participant transport with a kill: the killed drain's pending entries are claimed.
const retryForMinutes = ['whatsapp', 'sns'] as const;
const everyProvider = ['twilio', 'whatsapp', 'sns'] as const;
const runs = [
  { transport: 'participant', restart: 'kill', accept: 'connect', providers: retryForMinutes, network: { ...spikesAndResets, lostResponseRate: 0.01 } },
  { transport: 'integration-event', restart: 'stop', accept: 'connect', providers: retryForMinutes, network: { ...spikesAndResets, lostResponseRate: 0 } },
  { transport: 'participant', restart: 'kill', accept: 'durable', providers: everyProvider, network: { ...spikesAndResets, lostResponseRate: 0.01 } },
] as const;

describe.skipIf(skipReason !== undefined).each(runs)(
  'reliability run ($transport, accept $accept, one instance $restart)',
  ({ transport, restart, accept, providers, network }) => {
    it(`${messages} messages through two instances on one Redis, Connect throttling and failing: nothing lost, doubled or reordered`, async () => {
      const report = await runReliability({
        transport,
        restart,
        accept,
        network,
        messages,
        perConversation: 10,
        providers,
        quota: { requestsPerSecond: 60, burst: 90 },
        serverErrorRate: 0.02,
      });
      console.log(formatReport(report));
      const { lost, duplicates, outOfOrder, abandoned, restartedExit } = report;
      // A stopped instance finishes what it holds and exits 0; a killed one has no exit code.
      expect({ lost, duplicates, outOfOrder, abandoned, restartedExit }).toEqual({
        lost: 0,
        duplicates: 0,
        outOfOrder: 0,
        abandoned: 0,
        restartedExit: restart === 'stop' ? 0 : null,
      });
      expect(report.accepted).toBe(report.offered);
    });
  },
);
