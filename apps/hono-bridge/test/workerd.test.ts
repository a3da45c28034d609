import { fileURLToPath } from 'node:url';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { smokeEnv } from '@connect-chat/bridge-kit/smoke';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const credentials = { accessKeyId: 'AKIDWORKERSMOKE', secretAccessKey: 'workerd-smoke-secret' };

/** src/worker.ts bundled as Wrangler bundles it: browser platform, workerd conditions, ESM; with what went into it. */
async function bundleWorker(): Promise<{ script: string; bundled: string[] }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    format: 'esm',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  // The files whose code is in the bundle (the metafile also lists files read and then shaken out).
  const inputs = Object.values(result.metafile.outputs)[0]!.inputs;
  return { script: result.outputFiles[0]!.text, bundled: Object.keys(inputs).filter((path) => inputs[path]!.bytesInOutput > 0) };
}

describe('hono sample bridge on workerd', () => {
  let emulator: RunningEmulator;
  let miniflare: Miniflare;
  let bridgeUrl: string;
  let bundle: { script: string; bundled: string[] };
  const logged: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      credentials: [credentials],
      simulator: {
        secrets: {
          twilioAuthToken: smokeEnv.TWILIO_AUTH_TOKEN,
          whatsappAppSecret: smokeEnv.WHATSAPP_APP_SECRET,
          snsTopicArn: smokeEnv.SNS_TOPIC_ARNS,
          standardWebhookSecret: smokeEnv.STANDARD_WEBHOOK_SECRET,
        },
      },
    });
    // SMS_OUTBOUND=end-user-messaging needs the AWS SDK, which the Worker leaves out.
    const { PORT: _port, EMULATOR_PORT: _emulatorPort, CONNECT_EMULATOR: _nodeOnly, SMS_OUTBOUND: _sdkOnly, ...bindings } = smokeEnv;
    bundle = await bundleWorker();
    miniflare = new Miniflare({
      modules: true,
      script: bundle.script,
      compatibilityDate: '2025-09-01',
      host: '127.0.0.1',
      port: 0,
      bindings: {
        ...bindings,
        AWS_ENDPOINT_URL_CONNECT: emulator.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      // The far side of the network: SNS's certificate host is played by the simulator's signer.
      outboundService: async (request: Request) => {
        const url = new URL(request.url);
        if (url.hostname.endsWith('.amazonaws.com')) return new Response(await emulator.snsCertificateResolver(url));
        // Everything else (the emulator on 127.0.0.1) goes out as it came, through Node's fetch.
        const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
        return fetch(request.url, { method: request.method, headers: request.headers, body });
      },
      handleRuntimeStdio: (stdout: NodeJS.ReadableStream) => stdout.on('data', (chunk: Buffer) => logged.push(chunk.toString())),
    });
    bridgeUrl = (await miniflare.ready).origin;
  }, 60_000);

  afterAll(async () => {
    await miniflare?.dispose();
    await emulator?.close();
  });

  it.each(['twilio', 'whatsapp', 'sns', 'generic'] as const)('delivers a signed %s message to the emulator', async (provider) => {
    const from = `+1415555${String(2000 + provider.length)}`;
    const text = `hello from ${provider} on workerd`;
    const simulated = await fetch(`${emulator.url}/_emulator/simulate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider, from, to: '+12065550100', text, bridgeUrl }),
    });
    const outcome = (await simulated.json()) as { status: number; body: string };
    expect(outcome.status, outcome.body).toBe(200);
    const chat = emulator.chats().find((c) => c.key.SourceId === from);
    expect(chat?.key.DestinationId).toBe(smokeEnv.CONNECT_DESTINATION_ID);
    expect(chat?.key.Subtype).toBe(provider === 'whatsapp' ? 'connect:WhatsApp' : 'connect:sms');
    expect(chat?.transcript.map((item) => item.content)).toEqual([text]);
    // One structured line per message on the worker's stdout, without the message text.
    const line = await vi.waitFor(() => {
      const found = logged
        .join('')
        .split('\n')
        .find((l) => l.includes('"inbound message"') && l.includes(`"provider":"${provider}"`));
      if (!found) throw new Error(`no log line for ${provider} yet`);
      return JSON.parse(found) as Record<string, unknown>;
    });
    expect(line).toMatchObject({ outcome: 'sent', status: 200 });
    expect(JSON.stringify(line)).not.toContain(text);
  });

  it('bundles no AWS SDK: it sends with the fetch transport', () => {
    expect(bundle.bundled.some((path) => path.includes('aws4fetch'))).toBe(true);
    expect(bundle.bundled.filter((path) => /[/\\]@(aws-sdk|smithy)[/\\]/.test(path))).toEqual([]);
  });

  it('stops on CONNECT_CLIENT=aws-sdk with a line naming it', async () => {
    const lines: string[] = [];
    const refusing = new Miniflare({
      modules: true,
      script: bundle.script,
      compatibilityDate: '2025-09-01',
      host: '127.0.0.1',
      port: 0,
      bindings: { CONNECT_DESTINATION_ID: smokeEnv.CONNECT_DESTINATION_ID, TWILIO_AUTH_TOKEN: smokeEnv.TWILIO_AUTH_TOKEN, CONNECT_CLIENT: 'aws-sdk' },
      handleRuntimeStdio: (stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) => {
        for (const stream of [stdout, stderr]) stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      },
    });
    try {
      const url = (await refusing.ready).origin;
      const response = await fetch(`${url}/webhooks/twilio`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x=1' });
      expect(response.status).toBe(500);
      await vi.waitFor(() => expect(lines.join('')).toMatch(/CONNECT_CLIENT: "aws-sdk": this build leaves the AWS SDK out/));
    } finally {
      await refusing.dispose();
    }
  });

  it('answers /healthz and refuses an unsigned webhook', async () => {
    expect((await fetch(`${bridgeUrl}/healthz`)).status).toBe(200);
    const unsigned = await fetch(`${bridgeUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
  });
});
