import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConnectChat,
  createConnectChat,
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
  fromNodeRequest,
  type ReplyHooks,
  silentLogger,
} from '@connect-chat/core';
import { createSnsSigner, createTwilioRequest, generateStandardWebhookSecret, type SnsSigner, twilioMessageParams } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';

export type Transport = 'integration-event' | 'participant';
/** What carries SendChatIntegrationEvent: the sender's default (the AWS SDK), or the fetch transport. */
export type Client = 'aws-sdk' | 'fetch';
/** The inbound providers, each also the deliverer that answers its customers. */
export type CustomerProvider = 'twilio' | 'whatsapp' | 'sns' | 'generic';

export const inboundTopicArn = 'arn:aws:sns:us-east-1:111122223333:inbound-sms';
export const streamTopic = 'arn:aws:sns:us-east-1:111122223333:chat-stream';
const inboundTopic = inboundTopicArn;
const credentials = { accessKeyId: 'AKIDREPLIES', secretAccessKey: 'replies-secret' };
const secrets = {
  twilioAuthToken: 'twilio-token',
  whatsappAppSecret: 'whatsapp-secret',
  snsTopicArn: inboundTopic,
  standardWebhookSecret: generateStandardWebhookSecret(),
};
const destinations: Record<Transport, string> = {
  'integration-event': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-replies',
  participant: 'arn:aws:connect:us-east-1:111122223333:instance/5a7e0000-1111-2222-3333-444455556666/contact-flow/c0de0000-1111-2222-3333-444455556666',
};

/** A bridge with every provider and every deliverer, over real HTTP, on an emulator that plays Connect, SNS and the phones. */
export interface ReplyWorld {
  emulator: RunningEmulator;
  /** The emulator's SNS signer: what the bridge trusts. */
  sns: SnsSigner;
  chat: ConnectChat;
  bridgeUrl: string;
  delivered: Array<Parameters<NonNullable<ReplyHooks['onDelivered']>>[0]>;
  failures: Array<Parameters<NonNullable<ReplyHooks['onDeliveryFailed']>>[0]>;
  ignored: Array<Parameters<NonNullable<ReplyHooks['onIgnored']>>[0]>;
  /** The bridge's answer to every stream notification the emulator (as SNS) posted, retries included. */
  streamAnswers: number[];
  /**
   * A signed customer webhook through the emulator's simulator; resolves with the bridge's status.
   * A Twilio customer `from` a `whatsapp:` address is signed here (the simulator plays SMS only).
   */
  customerWrites(provider: CustomerProvider, from: string, text: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the emulator and a bridge on it. `without` leaves that provider's deliverer out: its
 * customers still reach Connect, their replies have nowhere to go.
 */
export async function startReplyWorld(transport: Transport, client: Client = 'aws-sdk', options: { without?: CustomerProvider } = {}): Promise<ReplyWorld> {
  const sns = await createSnsSigner();
  const emulator = await startEmulator({
    port: 0,
    snsSigner: sns,
    credentials: [credentials],
    simulator: { secrets },
    phone: { twilio: { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: secrets.twilioAuthToken }, whatsapp: { accessToken: 'wa-token' } },
  });
  const delivered: ReplyWorld['delivered'] = [];
  const failures: ReplyWorld['failures'] = [];
  const ignored: ReplyWorld['ignored'] = [];
  const connect = { region: 'us-east-1', credentials, endpoint: emulator.url };
  const resolveCertificate = emulator.snsCertificateResolver;
  const chat = createConnectChat({
    providers: [
      createSnsProvider({ topicArns: [inboundTopic], resolveCertificate }),
      createTwilioProvider({ authToken: secrets.twilioAuthToken }),
      createWhatsAppProvider({ appSecret: secrets.whatsappAppSecret, verifyToken: 'verify' }),
      createStandardWebhooksProvider({ secret: secrets.standardWebhookSecret }),
    ],
    route: { destination: destinations[transport], session: { streamingEndpointArn: streamTopic } },
    sender: {
      ...(transport === 'participant'
        ? { transport: createParticipantTransport({ ...connect, participantEndpoint: emulator.url }) }
        : client === 'fetch'
          ? { transport: createFetchTransport(connect) }
          : connect),
      rateLimit: false,
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
    },
    replies: {
      topicArns: [streamTopic],
      resolveCertificate,
      deliverers: [
        createTwilioDeliverer({ accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: secrets.twilioAuthToken, apiUrl: emulator.url }),
        createWhatsAppDeliverer({ accessToken: 'wa-token', apiUrl: emulator.url }),
        createEndUserMessagingDeliverer(connect),
        createGenericDeliverer({ url: `${emulator.url}/_emulator/generic/outbound`, secret: secrets.standardWebhookSecret }),
      ].filter((deliverer) => deliverer.provider !== options.without),
      hooks: {
        onDelivered: (info) => void delivered.push(info),
        onDeliveryFailed: (info) => void failures.push(info),
        onIgnored: (info) => void ignored.push(info),
      },
    },
    // SNS's side of a subscription confirmation: the SubscribeURL GETs are recorded in sns.confirmedSubscriptions.
    fetch: sns.fetch,
    logger: silentLogger,
  });
  const server = createServer((req, res) => {
    const handler = chat.match(new URL(req.url ?? '/', 'http://bridge.invalid').pathname);
    if (!handler) return void res.writeHead(404).end();
    void handler.handle(fromNodeRequest(req)).then((reply) => res.writeHead(reply.status, reply.headers).end(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const streamAnswers: number[] = [];
  const recordAnswer: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    streamAnswers.push(response.status);
    return response;
  };
  emulator.subscribe({ topicArn: streamTopic, endpoint: `${bridgeUrl}/webhooks/connect`, fetch: recordAnswer });
  return {
    emulator,
    sns,
    chat,
    bridgeUrl,
    delivered,
    failures,
    ignored,
    streamAnswers,
    async customerWrites(provider, from, text) {
      if (provider === 'twilio' && from.startsWith('whatsapp:')) {
        const params = twilioMessageParams({ from: from.slice('whatsapp:'.length), to: '+12065550100', body: text, whatsapp: true });
        const request = await createTwilioRequest({ url: `${bridgeUrl}/webhooks/twilio`, authToken: secrets.twilioAuthToken, params });
        const response = await fetch(request);
        await response.arrayBuffer();
        return response.status;
      }
      const response = await fetch(`${emulator.url}/_emulator/simulate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider, from, to: '+12065550100', text, bridgeUrl }),
      });
      const outcome = (await response.json()) as { status: number; body: string };
      return outcome.status;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    },
  };
}
