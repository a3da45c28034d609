import { describe, expect, it } from 'vitest';
import { ConnectChatError, type InboundMessage } from '@connect-chat/core';
import { connectChatOptionsFromEnv } from './index.ts';

const whsec = `whsec_${btoa('0123456789abcdef0123456789abcdef')}`;
const topic = 'arn:aws:sns:us-east-1:123456789012:inbound-sms';

function expectInvalid(env: Record<string, string>, variable: string, secret?: string) {
  let caught: unknown;
  try {
    connectChatOptionsFromEnv(env);
  } catch (error) {
    caught = error;
  }
  expect(ConnectChatError.is(caught) && caught.code).toBe('INVALID_OPTIONS');
  expect((caught as Error).message.startsWith(`${variable}:`)).toBe(true);
  if (secret) expect((caught as Error).message).not.toContain(secret);
}

describe('connectChatOptionsFromEnv', () => {
  it('enables exactly the providers whose secrets are set, in route order, and says why the others are off', () => {
    const config = connectChatOptionsFromEnv({
      CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/abc',
      TWILIO_AUTH_TOKEN: 'primary,secondary',
      STANDARD_WEBHOOK_SECRET: whsec,
    });
    expect(config.enabled).toEqual(['twilio', 'generic']);
    expect(config.disabled.map((d) => d.provider)).toEqual(['sns', 'whatsapp', 'connect']);
    expect(config.disabled[0]?.reason).toContain('SNS_TOPIC_ARNS');
    expect(config.options.route.destination).toBe('arn:aws:sms-voice:us-east-1:123456789012:phone-number/abc');
    expect(config.listen).toEqual({ port: 3000, host: '127.0.0.1', emulatorPort: 4050 });
  });

  it('needs the embedded emulator only with CONNECT_EMULATOR=embedded, never because credentials are missing', () => {
    const base = { CONNECT_DESTINATION_ID: 'dest' };
    // No credential variable at all: an instance role or a default profile may still provide them.
    expect(connectChatOptionsFromEnv(base).needsEmulator).toBe(false);
    expect(connectChatOptionsFromEnv({ ...base, CONNECT_EMULATOR: 'embedded' }).needsEmulator).toBe(true);
    expect(connectChatOptionsFromEnv({ ...base, CONNECT_EMULATOR: 'embedded', AWS_PROFILE: 'prod' }).needsEmulator).toBe(true);
    expect(() => connectChatOptionsFromEnv({ ...base, CONNECT_EMULATOR: 'yes' })).toThrow(/^CONNECT_EMULATOR: expected "embedded"/);
    const pointed = connectChatOptionsFromEnv({ ...base, AWS_ENDPOINT_URL_CONNECT: 'http://127.0.0.1:4050', AWS_REGION: 'eu-west-2' });
    expect(pointed.needsEmulator).toBe(false);
    expect(pointed.connect).toMatchObject({ endpoint: 'http://127.0.0.1:4050', region: 'eu-west-2' });
  });

  it('reads the rate limit, listen address and SNS topics (the keys sign: connect-client.test.ts)', () => {
    const config = connectChatOptionsFromEnv({
      CONNECT_DESTINATION_ID: 'dest',
      CONNECT_RATE_LIMIT: '5/10',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      PORT: '0',
      HOST: '0.0.0.0',
      SNS_TOPIC_ARNS: `${topic}, arn:aws:sns:us-east-1:123456789012:other`,
    });
    expect(config.options.sender.rateLimit).toEqual({ requestsPerSecond: 5, burst: 10 });
    expect(config.listen).toEqual({ port: 0, host: '0.0.0.0', emulatorPort: 4050 });
    expect(config.enabled).toEqual(['sns']);
    expect(connectChatOptionsFromEnv({ CONNECT_DESTINATION_ID: 'd', CONNECT_RATE_LIMIT: 'off' }).options.sender.rateLimit).toBe(false);
  });

  it('routes by CONNECT_DESTINATIONS, falling back to CONNECT_DESTINATION_ID', async () => {
    const message = (to: string, toAliases?: string[]) => ({ to, toAliases }) as InboundMessage;
    const mapOnly = connectChatOptionsFromEnv({ CONNECT_DESTINATIONS: '{"+12065550100":"dest-a"}' });
    expect(mapOnly.options.route.destination).toEqual({ '+12065550100': 'dest-a' });
    const withFallback = connectChatOptionsFromEnv({
      CONNECT_DESTINATIONS: '{"+12065550100":"dest-a","106540352242922":"dest-wa"}',
      CONNECT_DESTINATION_ID: 'dest-default',
    });
    const route = withFallback.options.route.destination as (m: InboundMessage) => string;
    expect(route(message('+12065550100'))).toBe('dest-a');
    expect(route(message('+15550783881', ['106540352242922']))).toBe('dest-wa');
    expect(route(message('+19995550000'))).toBe('dest-default');
  });

  it('never matches a "number" that is an Object.prototype member, with a fallback too', () => {
    const message = (to: string, toAliases?: string[]) => ({ to, toAliases }) as InboundMessage;
    const config = connectChatOptionsFromEnv({ CONNECT_DESTINATIONS: '{"+12065550100":"dest-a"}', CONNECT_DESTINATION_ID: 'dest-default' });
    const route = config.options.route.destination as (m: InboundMessage) => unknown;
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(route(message(key))).toBe('dest-default');
      expect(route(message('+19995550000', [key]))).toBe('dest-default');
    }
  });

  it('refuses contradictory or malformed configuration, naming the variable and never echoing a secret', () => {
    expectInvalid({}, 'CONNECT_DESTINATION_ID');
    expectInvalid({ CONNECT_DESTINATIONS: '{not json' }, 'CONNECT_DESTINATIONS');
    expectInvalid({ CONNECT_DESTINATIONS: '["a"]' }, 'CONNECT_DESTINATIONS');
    expectInvalid({ CONNECT_DESTINATIONS: '{"+1":5}' }, 'CONNECT_DESTINATIONS');
    const d = { CONNECT_DESTINATION_ID: 'dest' };
    expectInvalid({ ...d, WHATSAPP_APP_SECRET: 'app-secret-value' }, 'WHATSAPP_VERIFY_TOKEN', 'app-secret-value');
    expectInvalid({ ...d, WHATSAPP_VERIFY_TOKEN: 'verify' }, 'WHATSAPP_APP_SECRET');
    expectInvalid({ ...d, STANDARD_WEBHOOK_SECRET: 'not-a-whsec-secret' }, 'STANDARD_WEBHOOK_SECRET', 'not-a-whsec-secret');
    expectInvalid({ ...d, SNS_TOPIC_ARNS: 'my-topic' }, 'SNS_TOPIC_ARNS');
    expectInvalid({ ...d, TWILIO_AUTH_TOKEN: 'two words' }, 'TWILIO_AUTH_TOKEN', 'two words');
    expectInvalid({ ...d, AWS_ENDPOINT_URL_CONNECT: 'localhost:4050' }, 'AWS_ENDPOINT_URL_CONNECT');
    expectInvalid({ ...d, AWS_ACCESS_KEY_ID: 'AKID' }, 'AWS_SECRET_ACCESS_KEY');
    expectInvalid({ ...d, CONNECT_RATE_LIMIT: 'fast' }, 'CONNECT_RATE_LIMIT');
    expectInvalid({ ...d, PORT: 'eighty' }, 'PORT');
    expectInvalid({ ...d, EMULATOR_PORT: '70000' }, 'EMULATOR_PORT');
    expectInvalid({ ...d, EMULATOR_PORT: '-1' }, 'EMULATOR_PORT');
    expectInvalid({ ...d, CONNECT_EMULATOR: 'true' }, 'CONNECT_EMULATOR');
    expectInvalid({ ...d, PUBLIC_URL: 'bridge.example.com' }, 'PUBLIC_URL');
  });

  describe('CONNECT_TRANSPORT', () => {
    const flow = 'arn:aws:connect:us-east-1:111122223333:instance/4f1b2c3d-aaaa-bbbb-cccc-1234567890ab/contact-flow/9c2e0000-1111-2222-3333-444455556666';

    it('participant: a transport with its own quotas, both endpoints read, the flow ARN as destination', () => {
      const config = connectChatOptionsFromEnv({
        CONNECT_TRANSPORT: 'participant',
        CONNECT_DESTINATION_ID: flow,
        AWS_REGION: 'eu-west-2',
        AWS_ENDPOINT_URL_CONNECT: 'http://127.0.0.1:4050',
        AWS_ENDPOINT_URL_CONNECTPARTICIPANT: 'http://127.0.0.1:4051',
      });
      expect(config.connect).toEqual({
        transport: 'participant',
        region: 'eu-west-2',
        endpoint: 'http://127.0.0.1:4050',
        participantEndpoint: 'http://127.0.0.1:4051',
      });
      expect(Object.keys(config.options.sender.transport?.quotas ?? {})).toContain('StartChatContact');
      expect(config.connect.client).toBeUndefined();
      expect(config.options.sender.region).toBeUndefined();
      expect(config.options.route.destination).toBe(flow);
    });

    it('integration-event is the default, through the AWS SDK (CONNECT_CLIENT)', () => {
      const config = connectChatOptionsFromEnv({ CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/p' });
      expect(config.connect).toMatchObject({ transport: 'integration-event', client: 'aws-sdk' });
      expect(config.options.sender.transport?.quotas).toEqual({ SendChatIntegrationEvent: { requestsPerSecond: 17, burst: 26 } });
    });

    it.each([
      [{ CONNECT_TRANSPORT: 'chat' }, 'CONNECT_TRANSPORT'],
      [{ CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/p' }, 'CONNECT_DESTINATION_ID'],
      [{ CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: `${flow}/` }, 'CONNECT_DESTINATION_ID'],
      [
        { CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: flow, CONNECT_DESTINATIONS: JSON.stringify({ '+14255550182': 'flow-1' }) },
        'CONNECT_DESTINATIONS',
      ],
      [{ CONNECT_DESTINATION_ID: flow }, 'CONNECT_DESTINATION_ID'],
      [
        { CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: flow, AWS_ENDPOINT_URL_CONNECTPARTICIPANT: 'ftp://x' },
        'AWS_ENDPOINT_URL_CONNECTPARTICIPANT',
      ],
      [{ CONNECT_CLIENT: 'node-fetch' }, 'CONNECT_CLIENT'],
      [{ CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: flow, CONNECT_CLIENT: 'fetch' }, 'CONNECT_CLIENT'],
      [{ CONNECT_TRANSPORT: 'participant', CONNECT_DESTINATION_ID: flow, CONNECT_CLIENT: 'aws-sdk' }, 'CONNECT_CLIENT'],
    ])('stops on %j naming %s', (env, variable) => {
      expectInvalid({ CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/p', ...env } as Record<string, string>, variable);
    });
  });

  describe('agent replies', () => {
    const stream = 'arn:aws:sns:us-east-1:111122223333:chat-stream';
    const base = { CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/p', TWILIO_AUTH_TOKEN: 'token' };

    it('CONNECT_STREAMING_TOPIC_ARN streams each chat to the topic and enables one deliverer per configured channel', () => {
      const config = connectChatOptionsFromEnv({
        ...base,
        STANDARD_WEBHOOK_SECRET: whsec,
        CONNECT_STREAMING_TOPIC_ARN: stream,
        TWILIO_ACCOUNT_SID: 'AC123',
        WHATSAPP_ACCESS_TOKEN: 'wa-token',
        SMS_OUTBOUND: 'end-user-messaging',
        GENERIC_OUTBOUND_URL: 'https://crm.example.com/replies',
      });
      expect(config.options.route.session).toEqual({ streamingEndpointArn: stream });
      expect(config.options.replies?.topicArns).toEqual([stream]);
      expect(config.options.replies?.deliverers.map((deliverer) => deliverer.provider)).toEqual(['twilio', 'whatsapp', 'sns', 'generic']);
      expect(config.disabled.map((d) => d.provider)).not.toContain('connect');
    });

    it('a channel whose inbound route is off gets no deliverer: it has no customers to answer', () => {
      const config = connectChatOptionsFromEnv({
        CONNECT_DESTINATION_ID: base.CONNECT_DESTINATION_ID,
        WHATSAPP_APP_SECRET: 's',
        WHATSAPP_VERIFY_TOKEN: 'v',
        CONNECT_STREAMING_TOPIC_ARN: stream,
        TWILIO_ACCOUNT_SID: 'AC123',
        GENERIC_OUTBOUND_URL: 'https://crm.example.com/replies',
      });
      expect(config.options.replies?.deliverers).toEqual([]);
    });

    it('without a topic there is no reply route, and that is said', () => {
      const config = connectChatOptionsFromEnv({ ...base, TWILIO_ACCOUNT_SID: 'AC123' });
      expect(config.options.replies).toBeUndefined();
      expect(config.options.route.session).toBeUndefined();
      expect(config.disabled.find((d) => d.provider === 'connect')?.reason).toContain('CONNECT_STREAMING_TOPIC_ARN');
    });

    it.each([
      [{ CONNECT_STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:stream.fifo' }, 'CONNECT_STREAMING_TOPIC_ARN'],
      [{ CONNECT_STREAMING_TOPIC_ARN: stream, SMS_OUTBOUND: 'pinpoint' }, 'SMS_OUTBOUND'],
      [{ CONNECT_STREAMING_TOPIC_ARN: stream, GENERIC_OUTBOUND_URL: 'not a url' }, 'GENERIC_OUTBOUND_URL'],
      [{ CONNECT_STREAMING_TOPIC_ARN: stream, WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_API_URL: 'graph.facebook.com' }, 'WHATSAPP_API_URL'],
    ])('stops on %j naming %s', (env, variable) => {
      expectInvalid({ ...base, ...env } as Record<string, string>, variable);
    });
  });
});
