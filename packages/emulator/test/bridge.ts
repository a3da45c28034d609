import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createConnectChat,
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioDeliverer,
  createTwilioProvider,
  createWhatsAppProvider,
  type Provider,
} from '@connect-chat/core';
import { generateStandardWebhookSecret } from '@connect-chat/core/testing';
import { credentials } from './helpers.ts';

/** The secrets both sides share in these tests: the bridge verifies with them, the simulator signs. */
export const bridgeSecrets = {
  twilioAuthToken: 'twilio-test-auth-token',
  whatsappAppSecret: 'whatsapp-test-app-secret',
  snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:inbound-sms',
  standardWebhookSecret: generateStandardWebhookSecret(),
};

export const destinationId = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';

export interface TestBridge {
  url: string;
  /** Requests received, by path. */
  hits: string[];
  close(): Promise<void>;
}

export interface TestBridgeOptions {
  emulatorUrl: string;
  providers?: Array<'twilio' | 'whatsapp' | 'sns' | 'generic'>;
  /** For SNS: which signing certificates the bridge trusts. */
  resolveCertificate?: (url: URL) => Promise<string>;
  /** Turns on the reply route: chats are streamed to this topic, agent replies go to Twilio customers through the emulator. */
  replies?: { topicArn: string; resolveCertificate: (url: URL) => Promise<string> };
}

/** The Twilio account the bridge's reply deliverer uses. */
export const twilioAccountSid = `AC${'0123456789abcdef'.repeat(2)}`;

function toWebRequest(req: IncomingMessage, body: Buffer): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://${req.headers.host}${req.url}`, { method: req.method ?? 'GET', headers, ...(hasBody && { body: new Uint8Array(body) }) });
}

/** Listens on 127.0.0.1:0 and resolves its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * A real bridge: core's `createConnectChat` behind node:http, sending to the emulator with the AWS
 * SDK (SigV4 with the emulator's test credentials, no client-side pacing).
 */
export async function startBridge(options: TestBridgeOptions): Promise<TestBridge> {
  const wanted = options.providers ?? ['twilio', 'whatsapp', 'sns', 'generic'];
  const providers: Provider[] = [];
  if (wanted.includes('twilio')) providers.push(createTwilioProvider({ authToken: bridgeSecrets.twilioAuthToken }));
  if (wanted.includes('whatsapp')) providers.push(createWhatsAppProvider({ appSecret: bridgeSecrets.whatsappAppSecret, verifyToken: 'verify-me' }));
  if (wanted.includes('sns')) {
    providers.push(
      createSnsProvider({
        topicArns: [bridgeSecrets.snsTopicArn],
        ...(options.resolveCertificate !== undefined && { resolveCertificate: options.resolveCertificate }),
      }),
    );
  }
  if (wanted.includes('generic')) providers.push(createStandardWebhooksProvider({ secret: bridgeSecrets.standardWebhookSecret }));
  const bridge = createConnectChat({
    providers,
    sender: { endpoint: options.emulatorUrl, region: 'us-east-1', credentials, rateLimit: false },
    route: { destination: destinationId, ...(options.replies && { session: { streamingEndpointArn: options.replies.topicArn } }) },
    ...(options.replies && {
      replies: {
        topicArns: [options.replies.topicArn],
        resolveCertificate: options.replies.resolveCertificate,
        deliverers: [createTwilioDeliverer({ accountSid: twilioAccountSid, authToken: bridgeSecrets.twilioAuthToken, apiUrl: options.emulatorUrl })],
      },
    }),
  });
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const request = toWebRequest(req, Buffer.concat(chunks));
      const pathname = new URL(request.url).pathname;
      hits.push(pathname);
      const handler = bridge.match(pathname);
      if (handler === undefined) {
        res.writeHead(404).end();
        return;
      }
      const response = await handler.fetch(request);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  const url = await listen(server);
  return { url, hits, close: () => closeServer(server) };
}
