import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../src/cli/main.ts';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { bridgeSecrets, startBridge, type TestBridge } from './bridge.ts';
import { credentials } from './helpers.ts';

let emulator: RunningEmulator;
let bridge: TestBridge;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [credentials] });
  bridge = await startBridge({ emulatorUrl: emulator.url, providers: ['twilio', 'generic'] });
});

afterAll(async () => {
  await bridge?.close();
  await emulator?.close();
});

function io(env: Record<string, string | undefined> = {}): CliIo & { stdout: string; stderr: string } {
  const captured = {
    stdout: '',
    stderr: '',
    env,
    out: (text: string) => {
      captured.stdout += text;
    },
    err: (text: string) => {
      captured.stderr += text;
    },
  };
  return captured;
}

function contentsFrom(source: string): Array<string | undefined> {
  return emulator.chats().flatMap((chat) => (chat.key.SourceId === source ? chat.transcript.map((item) => item.content) : []));
}

describe('connect-chat-emulator simulate', () => {
  it('delivers with the secret from the environment, prints the answer and exits 0', async () => {
    const cli = io({ TWILIO_AUTH_TOKEN: bridgeSecrets.twilioAuthToken });
    const code = await main(['simulate', 'twilio', '--to', bridge.url, '--from', '+14155550121', '--text', 'From the CLI'], cli);
    expect(cli.stderr).toBe('');
    expect(code).toBe(0);
    expect(cli.stdout).toContain(`POST ${bridge.url}/webhooks/twilio\nHTTP 200\n`);
    expect(cli.stdout).toContain('<Response></Response>');
    expect(contentsFrom('+14155550121')).toEqual(['From the CLI']);
    expect(emulator.chats().find((chat) => chat.key.SourceId === '+14155550121')?.key.DestinationId).toBeDefined();
  });

  it('takes the secret from its flag over the environment and the number written to from --number', async () => {
    const cli = io({ STANDARD_WEBHOOK_SECRET: 'whsec_c2VjcmV0LXRoYXQtaXMtd3Jvbmctd3Jvbmctd3Jvbmc=' });
    const code = await main(
      [
        'simulate',
        'generic',
        '--to',
        bridge.url,
        '--from',
        '+14155550122',
        '--number',
        '+15550199',
        '--text',
        'flag wins',
        '--secret',
        bridgeSecrets.standardWebhookSecret,
      ],
      cli,
    );
    expect(code).toBe(0);
    expect(contentsFrom('+14155550122')).toEqual(['flag wins']);
  });

  it('exits 1 and prints the answer when the bridge refuses', async () => {
    const cli = io();
    const code = await main(['simulate', 'twilio', '--to', bridge.url, '--from', '+14155550123', '--text', 'x', '--auth-token', 'wrong-token'], cli);
    expect(code).toBe(1);
    expect(cli.stdout).toContain('HTTP 401');
    expect(cli.stdout).toContain('SIGNATURE_INVALID');
    expect(contentsFrom('+14155550123')).toEqual([]);
  });

  it('exits 1 when no bridge answers', async () => {
    const cli = io({ TWILIO_AUTH_TOKEN: 'token' });
    const code = await main(['simulate', 'twilio', '--to', 'http://127.0.0.1:1', '--from', '+14155550100', '--text', 'x'], cli);
    expect(code).toBe(1);
    expect(cli.stderr).toContain('The bridge at http://127.0.0.1:1/webhooks/twilio did not answer');
  });

  it.each([
    [['twilio', '--to', 'http://127.0.0.1:3000', '--from', '+14155550100', '--text', 'x'], '--auth-token or the TWILIO_AUTH_TOKEN environment variable'],
    [['sns', '--to', 'http://127.0.0.1:3000', '--from', '+14155550100', '--text', 'x'], '--topic-arn or the SNS_TOPIC_ARNS environment variable'],
    [
      ['twilio', '--to', 'http://example.com', '--from', '+14155550100', '--text', 'x', '--auth-token', 't'],
      '--to: expected an http(s) base URL of a bridge on this machine',
    ],
    [['twilio', '--to', 'http://127.0.0.1:3000', '--from', '4155550100', '--text', 'x', '--auth-token', 't'], '--from: expected an E.164 number'],
    [
      ['twilio', '--to', 'http://127.0.0.1:3000', '--from', '+14155550100', '--number', '555', '--text', 'x', '--auth-token', 't'],
      '--number: expected an E.164 number',
    ],
    [
      ['twilio', '--to', 'http://127.0.0.1:3000', '--from', '+14155550100', '--text', 'x', '--app-secret', 's'],
      '--app-secret is for whatsapp; twilio takes --auth-token',
    ],
    [['telegram', '--to', 'http://127.0.0.1:3000'], 'expected one provider, twilio, whatsapp, sns, generic, got "telegram"'],
    [['twilio', '--from', '+14155550100', '--text', 'x'], '--to <bridge url> is required'],
    [['twilio', '--to', 'http://127.0.0.1:3000', '--from', '+14155550100'], '--text <message> is required'],
    [['twilio', '--bogus'], "Unknown option '--bogus'"],
  ])('refuses %j with exit code 2 and a clear message', async (argv, message) => {
    const cli = io();
    expect(await main(['simulate', ...argv], cli)).toBe(2);
    expect(cli.stderr).toContain(message);
    expect(cli.stderr).toContain('simulate --help');
  });

  it('with --emulator, lets that emulator sign and deliver, so SNS reaches a bridge trusting its certificate', async () => {
    const signing = await startEmulator({ port: 0, credentials: [credentials], simulator: { secrets: bridgeSecrets } });
    const snsBridge = await startBridge({ emulatorUrl: emulator.url, providers: ['sns'], resolveCertificate: signing.snsCertificateResolver });
    try {
      const cli = io();
      const code = await main(
        ['simulate', 'sns', '--to', snsBridge.url, '--emulator', signing.url, '--from', '+14155550131', '--text', 'via the emulator'],
        cli,
      );
      expect(cli.stderr).toBe('');
      expect(code).toBe(0);
      expect(contentsFrom('+14155550131')).toEqual(['via the emulator']);
      // Without it the command's own certificate is not trusted.
      const alone = io({ SNS_TOPIC_ARNS: bridgeSecrets.snsTopicArn });
      expect(await main(['simulate', 'sns', '--to', snsBridge.url, '--from', '+14155550132', '--text', 'alone'], alone)).toBe(1);
      expect(alone.stdout).toContain('HTTP 401');
    } finally {
      await snsBridge.close();
      await signing.close();
    }
  });

  it('refuses an --emulator that is not on this machine, before any request', async () => {
    const cli = io({ TWILIO_AUTH_TOKEN: 'x' });
    const code = await main(['simulate', 'twilio', '--to', bridge.url, '--emulator', 'http://example.com', '--from', '+14155550133', '--text', 'x'], cli);
    expect(code).toBe(2);
    expect(cli.stderr).toContain('--emulator: expected an http(s) base URL');
  });

  it('prints its help', async () => {
    const cli = io();
    expect(await main(['simulate', '--help'], cli)).toBe(0);
    expect(cli.stdout).toContain('Usage: connect-chat-emulator simulate <twilio|whatsapp|sns|generic> --to <bridge url>');
    expect(cli.stdout).toContain('(default +15550100)');
  });
});

describe('connect-chat-emulator --bridge', () => {
  it('hands --bridge and the secrets in the environment to the page', async () => {
    let onListening!: (emulator: RunningEmulator) => void;
    const listening = new Promise<RunningEmulator>((resolve) => {
      onListening = resolve;
    });
    const signals = new EventEmitter();
    const cli = Object.assign(
      io({ TWILIO_AUTH_TOKEN: bridgeSecrets.twilioAuthToken, SNS_TOPIC_ARNS: ` ${bridgeSecrets.snsTopicArn} , arn:aws:sns:us-east-1:123456789012:other` }),
      {
        signals,
        onListening,
      },
    );
    const exit = main(['--port', '0', '--bridge', bridge.url], cli);
    const started = await listening;
    try {
      expect(cli.stdout).toContain(`Chats, transcripts and the customer simulator: ${started.url}/`);
      const simulator = await (await fetch(`${started.url}/_emulator/simulator`)).json();
      expect(simulator).toEqual({ bridgeUrl: bridge.url, defaultNumber: '+15550100', providers: { twilio: true, whatsapp: false, sns: true, generic: false } });
      expect(cli.stderr).not.toContain(bridgeSecrets.twilioAuthToken);
    } finally {
      signals.emit('SIGTERM');
    }
    expect(await exit).toBe(0);
  });

  it('refuses a --bridge off this machine', async () => {
    const cli = io();
    expect(await main(['--port', '0', '--bridge', 'http://203.0.113.7:3000'], cli)).toBe(2);
    expect(cli.stderr).toContain('simulator.bridgeUrl: expected an http(s) base URL of a bridge on this machine');
  });
});
