import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectChatError, createSender, SendError, textMessage } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChatOptionsFromEnv, connectChatOptionsFromEnvWithoutSdk } from './index.ts';

// CONNECT_CLIENT picks what carries SendChatIntegrationEvent; the emulator checks the signature
// each one makes with the keys from the environment, a recording server tells them apart.
const keys = { accessKeyId: 'AKIDCONNECTCLIENT', secretAccessKey: 'connect-client-secret' };
const destination = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-client';
let emulator: RunningEmulator;
let recorder: Server;
let recorderUrl: string;
const recorded: IncomingMessage['headers'][] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, credentials: [keys] });
  recorder = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      recorded.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"InitialContactId":"c-1","NewChatCreated":true}');
    });
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await emulator?.close();
  recorder?.closeAllConnections();
  await new Promise((resolve) => recorder?.close(resolve));
});

const envFor = (more: Record<string, string>) => ({
  CONNECT_DESTINATION_ID: destination,
  AWS_ENDPOINT_URL_CONNECT: emulator.url,
  AWS_ACCESS_KEY_ID: keys.accessKeyId,
  AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
  CONNECT_RATE_LIMIT: 'off',
  ...more,
});
const chatOf = (n: number) => ({ SourceId: `+1415555${String(n).padStart(4, '0')}`, DestinationId: destination, Subtype: 'connect:sms' });

describe('CONNECT_CLIENT', () => {
  it.each([
    ['unset (the AWS SDK on Node)', {}, 'aws-sdk', true, 100],
    ['aws-sdk', { CONNECT_CLIENT: 'aws-sdk' }, 'aws-sdk', true, 101],
    ['fetch', { CONNECT_CLIENT: 'fetch' }, 'fetch', false, 102],
  ] as const)('%s: sends through that client, signed with the keys from the environment', async (_label, more, client, sdkHeaders, customer) => {
    const config = connectChatOptionsFromEnv(envFor(more));
    expect(config.connect.client).toBe(client);
    const chat = chatOf(customer);
    const result = await createSender(config.options.sender).send(textMessage(chat, `via ${client}`));
    expect(result.newChatCreated).toBe(true);
    expect(
      emulator
        .chats()
        .find((c) => c.key.SourceId === chat.SourceId)
        ?.transcript.map((item) => item.content),
    ).toEqual([`via ${client}`]);

    recorded.length = 0;
    const recording = connectChatOptionsFromEnv(envFor({ ...more, AWS_ENDPOINT_URL_CONNECT: recorderUrl }));
    await createSender(recording.options.sender).send(textMessage(chat, 'recorded'));
    // The SDK names itself in its user agent; the fetch client does not.
    expect(/^aws-sdk-js\//.test(recorded[0]?.['user-agent'] ?? '')).toBe(sdkHeaders);
  });

  it.each(['aws-sdk', 'fetch'])('%s: a wrong secret is refused by the emulator and reported the same way', async (client) => {
    const config = connectChatOptionsFromEnv(envFor({ CONNECT_CLIENT: client, AWS_SECRET_ACCESS_KEY: 'not-the-secret' }));
    const error = await createSender({ ...config.options.sender, retry: { maxAttempts: 1 } })
      .send(textMessage(chatOf(300), 'x'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ code: 'CONNECT_ACCESS_DENIED', awsErrorName: 'InvalidSignatureException', retryable: false });
  });

  describe('without the AWS SDK (the Workers entry)', () => {
    it('sends through fetch by default', async () => {
      const config = connectChatOptionsFromEnvWithoutSdk(envFor({}));
      expect(config.connect).toMatchObject({ transport: 'integration-event', client: 'fetch' });
      recorded.length = 0;
      const recording = connectChatOptionsFromEnvWithoutSdk(envFor({ AWS_ENDPOINT_URL_CONNECT: recorderUrl }));
      await createSender(recording.options.sender).send(textMessage(chatOf(400), 'lean'));
      expect(recorded).toHaveLength(1);
      expect(recorded[0]?.['user-agent'] ?? '').not.toMatch(/aws-sdk-js/);
    });

    it.each([
      [{ CONNECT_CLIENT: 'aws-sdk' }, 'CONNECT_CLIENT'],
      [
        {
          CONNECT_TRANSPORT: 'participant',
          CONNECT_DESTINATION_ID:
            'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666',
        },
        'CONNECT_TRANSPORT',
      ],
      [{ CONNECT_STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:stream', SMS_OUTBOUND: 'end-user-messaging' }, 'SMS_OUTBOUND'],
    ])('stops on %j naming %s and saying the AWS SDK is left out', (more, variable) => {
      let caught: unknown;
      try {
        connectChatOptionsFromEnvWithoutSdk(envFor({ TWILIO_AUTH_TOKEN: 'token', ...more }));
      } catch (error) {
        caught = error;
      }
      expect(ConnectChatError.is(caught) && caught.code).toBe('INVALID_OPTIONS');
      expect((caught as Error).message).toMatch(new RegExp(`^${variable}: .*leaves the AWS SDK out`));
    });
  });
});
