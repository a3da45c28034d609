import { describeConformance } from '@connect-chat/conformance';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { startEmulator } from '@connect-chat/emulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedLyingContentLengths, lyingContentLengths } from './support/lying-content-length.ts';
import { bundleWorker, startWorkerd } from './support/runtimes.ts';

let script: string;
beforeAll(async () => {
  script = await bundleWorker();
});

// The bundle a Workers user would deploy, in real workerd; secrets arrive as bindings (c.env).
describeConformance('hono on workerd', (setup) => startWorkerd(script, { ...setup.env, SNS_CERTIFICATE_SERVER_URL: setup.snsCertificateServerUrl }));

describe('hono on workerd: the bridge built from c.env', () => {
  it('is built once for the isolate and reads its secret from the bindings', async () => {
    const credentials = { accessKeyId: 'AKIDWORKERD', secretAccessKey: 'workerd-secret' };
    const emulator = await startEmulator({ port: 0, credentials: [credentials] });
    const worker = await startWorkerd(script, {
      AWS_ENDPOINT_URL_CONNECT: emulator.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-workerd',
      TWILIO_AUTH_TOKEN: 'token-from-bindings',
      CONNECT_RATE_LIMIT: 'off',
    });
    try {
      const url = `${worker.baseUrl}/webhooks/twilio`;
      const statuses: number[] = [];
      for (const [authToken, body] of [
        ['token-from-bindings', 'one'],
        ['token-from-bindings', 'two'],
        ['another-token', 'forged'],
      ] as const) {
        const params = twilioMessageParams({ from: '+14155550100', to: '+12125550101', body });
        statuses.push((await worker.fetch(await createTwilioRequest({ url, authToken, params }))).status);
      }
      const builds = (await (await worker.fetch(`${worker.baseUrl}/_test/builds`)).json()) as { builds: number };
      expect({ statuses, builds: builds.builds }).toEqual({ statuses: [200, 200, 401], builds: 1 });
      expect(emulator.chats()[0]?.transcript.map((item) => item.content)).toEqual(['one', 'two']);
    } finally {
      await worker.close();
      await emulator.close();
    }
  });
});

describe('hono on workerd: the body limit', () => {
  it('never hands the handler more than maxBodyBytes, whatever Content-Length says; past it is 413', async () => {
    // The bridge's middleware runs first and is built from these; nothing is sent.
    const worker = await startWorkerd(script, {
      AWS_ENDPOINT_URL_CONNECT: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'AKIDWORKERD',
      AWS_SECRET_ACCESS_KEY: 'workerd-secret',
      CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-workerd',
      TWILIO_AUTH_TOKEN: 'token-from-bindings',
    });
    try {
      expect(await lyingContentLengths(worker.baseUrl)).toEqual(expectedLyingContentLengths);
    } finally {
      await worker.close();
    }
  });
});
