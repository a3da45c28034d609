import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../src/cli/main.ts';
import { type RunningEmulator, startEmulator } from '../src/index.ts';
import { connectClient, credentials, message, send } from './helpers.ts';
import { type Subscriber, startSubscriber } from './subscriber.ts';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:connect-chat-outbound';
let emulator: RunningEmulator;
let subscriber: Subscriber;

beforeAll(async () => {
  subscriber = await startSubscriber();
  emulator = await startEmulator({ port: 0, credentials: [credentials], subscriptions: [{ topicArn, endpoint: subscriber.url }] });
});

afterAll(async () => {
  await emulator?.close();
  await subscriber?.close();
});

function io(): CliIo & { stdout: string; stderr: string } {
  const captured = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      captured.stdout += text;
    },
    err: (text: string) => {
      captured.stderr += text;
    },
  };
  return captured;
}

describe('connect-chat-emulator reply', () => {
  it('answers in the latest active chat as the agent and prints the deliveries', async () => {
    const connect = connectClient(emulator.url);
    await send(connect, message('old', { SourceId: '+14155550111' }));
    const latest = await send(connect, message('hi', { NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: topicArn } } }));
    connect.destroy();
    const out = io();
    expect(await main(['reply', '--emulator', emulator.url, '--contact', 'latest', '--text', 'Hello from the CLI', '--display-name', 'Sam'], out)).toBe(0);
    const chat = emulator.chats().find((candidate) => candidate.contactId === latest.InitialContactId);
    expect(chat?.transcript.at(-1)).toMatchObject({ content: 'Hello from the CLI', participantRole: 'AGENT', displayName: 'Sam' });
    expect(out.stdout).toContain(`Replied in ${latest.InitialContactId}: item ${chat?.transcript.at(-1)?.id}`);
    expect(out.stdout).toContain(`→ ${subscriber.url} HTTP 200 after 1 attempt(s)`);
  });

  it('exits 1 for an unknown chat and 2 for bad usage', async () => {
    const unknown = io();
    expect(await main(['reply', '--emulator', emulator.url, '--contact', 'nope', '--text', 'hi'], unknown)).toBe(1);
    expect(unknown.stderr).toContain('HTTP 404 CHAT_NOT_FOUND');
    const missing = io();
    expect(await main(['reply', '--emulator', emulator.url, '--contact', 'latest'], missing)).toBe(2);
    expect(missing.stderr).toContain('--text <text> is required');
    const remote = io();
    expect(await main(['reply', '--emulator', 'http://example.com', '--contact', 'latest', '--text', 'x'], remote)).toBe(2);
    const help = io();
    expect(await main(['reply', '--help'], help)).toBe(0);
    expect(help.stdout).toContain('Usage: connect-chat-emulator reply');
  });
});
