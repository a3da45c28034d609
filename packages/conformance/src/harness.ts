import {
  createEndUserMessagingDeliverer,
  createFetchTransport,
  createGenericDeliverer,
  createParticipantTransport,
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioDeliverer,
  createTwilioProvider,
  createWhatsAppDeliverer,
  createWhatsAppProvider,
} from '@connect-chat/core';
import type { ConnectChatOptions } from '@connect-chat/core';
import { createSnsSigner, generateStandardWebhookSecret } from '@connect-chat/core/testing';
import type { SnsSigner } from '@connect-chat/core/testing';
import { startEmulator } from '@connect-chat/emulator';
import type { RunningEmulator } from '@connect-chat/emulator';
import { startSnsCertificateServer } from './sns-certificate-server.ts';
import type { ConformanceClient, ConformanceSetup, ConformanceTransport } from './types.ts';

/** Everything one suite run owns: the emulator, SNS's far side, and the setup handed to the target. */
export interface Harness {
  setup: ConformanceSetup;
  emulator: RunningEmulator;
  sns: SnsSigner;
  close(): Promise<void>;
}

const randomHex = (bytes: number): string => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');

/** The topic Connect streams chats to (the emulator publishes agent replies there). */
export const streamTopicArn = 'arn:aws:sns:us-east-1:111122223333:conformance-chat-stream';

/** The emulator's default account; its region is the SNS signer's. */
const contactFlow = (region: string) =>
  `arn:aws:connect:${region}:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666`;

/** One run of the suite: a transport, and for SendChatIntegrationEvent the client that carries it. */
export interface ConformanceRun {
  transport: ConformanceTransport;
  client?: ConformanceClient;
}

/** Starts the far side of every network the bridge talks to and builds the configuration contract for the run. */
export async function startHarness({ transport, client }: ConformanceRun): Promise<Harness> {
  const credentials = { accessKeyId: `AKIA${randomHex(8).toUpperCase()}`, secretAccessKey: randomHex(20) };
  const sns = await createSnsSigner();
  // One SNS signer for the inbound topic and Connect's chat stream: the bridge trusts one certificate.
  const emulator = await startEmulator({ port: 0, credentials: [credentials], snsSigner: sns });
  const certificateServer = await startSnsCertificateServer(sns).catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL_CONNECT: emulator.url,
    AWS_REGION: sns.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    CONNECT_TRANSPORT: transport,
    ...(client === 'fetch' ? { CONNECT_CLIENT: client } : {}),
    CONNECT_DESTINATION_ID: transport === 'participant' ? contactFlow(sns.region) : 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-conformance',
    AWS_ENDPOINT_URL_CONNECTPARTICIPANT: emulator.url,
    TWILIO_AUTH_TOKEN: randomHex(16),
    WHATSAPP_APP_SECRET: randomHex(16),
    WHATSAPP_VERIFY_TOKEN: `verify-${randomHex(8)}`,
    SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:111122223333:conformance-inbound-sms',
    STANDARD_WEBHOOK_SECRET: generateStandardWebhookSecret(),
    CONNECT_RATE_LIMIT: 'off',
    CONNECT_STREAMING_TOPIC_ARN: streamTopicArn,
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_API_URL: emulator.url,
    WHATSAPP_ACCESS_TOKEN: `wa-${randomHex(8)}`,
    WHATSAPP_API_URL: emulator.url,
    SMS_OUTBOUND: 'end-user-messaging',
    AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: emulator.url,
    GENERIC_OUTBOUND_URL: `${emulator.url}/_emulator/generic/outbound`,
  };
  const connect = { endpoint: emulator.url, region: env.AWS_REGION!, credentials };
  const sender =
    transport === 'participant'
      ? { transport: createParticipantTransport({ ...connect, participantEndpoint: emulator.url }) }
      : client === 'fetch'
        ? { transport: createFetchTransport(connect) }
        : connect;
  const setup: ConformanceSetup = {
    transport,
    ...(client ? { client } : {}),
    emulatorUrl: emulator.url,
    env,
    snsCertificateServerUrl: certificateServer.url,
    connectChatOptions: (): ConnectChatOptions => ({
      providers: [
        createSnsProvider({ topicArns: env.SNS_TOPIC_ARNS!.split(','), resolveCertificate: sns.resolveCertificate }),
        createTwilioProvider({ authToken: env.TWILIO_AUTH_TOKEN! }),
        createWhatsAppProvider({ appSecret: env.WHATSAPP_APP_SECRET!, verifyToken: env.WHATSAPP_VERIFY_TOKEN! }),
        createStandardWebhooksProvider({ secret: env.STANDARD_WEBHOOK_SECRET! }),
      ],
      route: { destination: env.CONNECT_DESTINATION_ID!, session: { streamingEndpointArn: streamTopicArn } },
      sender: {
        ...sender,
        rateLimit: false,
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, attemptTimeoutMs: 2_000 },
        deadlineMs: 5_000,
      },
      replies: {
        topicArns: [streamTopicArn],
        resolveCertificate: sns.resolveCertificate,
        deliverers: [
          createTwilioDeliverer({ accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, apiUrl: emulator.url }),
          createWhatsAppDeliverer({ accessToken: env.WHATSAPP_ACCESS_TOKEN!, apiUrl: emulator.url }),
          createEndUserMessagingDeliverer(connect),
          createGenericDeliverer({ url: env.GENERIC_OUTBOUND_URL!, secret: env.STANDARD_WEBHOOK_SECRET! }),
        ],
      },
      // SubscribeURL visits go to the signer, which records them.
      fetch: sns.fetch,
    }),
  };
  return {
    setup,
    emulator,
    sns,
    close: async () => {
      await Promise.all([emulator.close(), certificateServer.close()]);
    },
  };
}
