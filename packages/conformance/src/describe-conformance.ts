import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { conformanceCases } from './cases.ts';
import type { CaseContext } from './cases.ts';
import { startHarness, streamTopicArn } from './harness.ts';
import type { ConformanceRun, Harness } from './harness.ts';
import { providerFixtures } from './provider-fixtures.ts';
import type { ConformanceSetup, ConformanceTarget } from './types.ts';
import { deliver, toCall } from './webhook-call.ts';

/**
 * Registers the shared webhook cases (every provider route, status code and what Connect
 * received) against a bridge that `mount` starts, once per transport (SendChatIntegrationEvent
 * through the AWS SDK and through fetch, then the participant service). One emulator per suite,
 * reset before each case.
 *
 * @example
 * describeConformance('express 5', async (setup) => {
 *   const app = express();
 *   app.use(webhooks(createConnectChat(setup.connectChatOptions())));
 *   const server = app.listen(0, '127.0.0.1');
 *   await once(server, 'listening');
 *   const { port } = server.address() as AddressInfo;
 *   return { baseUrl: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
 * });
 */
export function describeConformance(name: string, mount: (setup: ConformanceSetup) => Promise<ConformanceTarget>): void {
  if (typeof name !== 'string' || name === '') throw new TypeError(`describeConformance(name): expected a non-empty string, got ${typeof name}`);
  if (typeof mount !== 'function') throw new TypeError(`describeConformance(name, mount): expected mount to be a function, got ${typeof mount}`);

  for (const run of conformanceRuns) describeOver(name, run, mount);
}

/** SendChatIntegrationEvent through the AWS SDK and through fetch, then the participant service. */
const conformanceRuns: readonly ConformanceRun[] = [
  { transport: 'integration-event', client: 'aws-sdk' },
  { transport: 'integration-event', client: 'fetch' },
  { transport: 'participant' },
];

function describeOver(name: string, run: ConformanceRun, mount: (setup: ConformanceSetup) => Promise<ConformanceTarget>): void {
  describe(`conformance: ${name} (${run.client ? `${run.transport} via ${run.client}` : run.transport})`, () => {
    let harness: Harness | undefined;
    let target: ConformanceTarget | undefined;
    let context: CaseContext | undefined;

    beforeAll(async () => {
      harness = await startHarness(run);
      target = await mount(harness.setup);
      const baseUrl = target.baseUrl.replace(/\/+$/, '');
      // As an operator subscribes the bridge's reply route to the streaming topic.
      harness.emulator.subscribe({ topicArn: streamTopicArn, endpoint: `${baseUrl}/webhooks/connect`, ...(target.fetch ? { fetch: target.fetch } : {}) });
      const running = { ...target, baseUrl };
      let counter = 0;
      context = {
        target: running,
        harness,
        fixtures: providerFixtures(harness.setup, harness.sns),
        url: (path) => `${baseUrl}${path}`,
        send: async (call) => deliver(running, call instanceof Request ? await toCall(call) : call),
        unique: (label) => `${label} #${++counter} ${crypto.randomUUID().slice(0, 8)}`,
      };
    });

    afterAll(async () => {
      // Publications of Connect's stream still in flight would hold the bridge's connections open.
      await harness?.emulator.settled();
      await target?.close();
      await harness?.close();
    });

    beforeEach(async () => {
      // The previous case's stream (echoes, chat ends) lands before the slate is wiped, not after.
      await harness?.emulator.settled();
      harness?.emulator.reset();
    });

    for (const conformanceCase of conformanceCases()) {
      it(conformanceCase.name, async () => {
        if (!context) throw new Error('describeConformance: the target did not start (see the beforeAll error)');
        await conformanceCase.run(context);
      });
    }
  });
}
