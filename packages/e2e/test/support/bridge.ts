// A whole bridge for end-to-end tests: the four real providers, the real sender speaking the AWS
// SDK over HTTP to the emulator, and an SNS signer playing Amazon SNS.
import { createConnectChat, createSnsProvider, createStandardWebhooksProvider, createTwilioProvider, createWhatsAppProvider } from '@connect-chat/core';
import type { ChatIntegrationEvent, ConnectChatError, InboundMessage, WebhookHooks } from '@connect-chat/core';
import { createSnsSigner, generateStandardWebhookSecret } from '@connect-chat/core/testing';
import { type ChatRecord, startEmulator } from '@connect-chat/emulator';

export const numbers = {
  customer: '+14255550182',
  sms: '+12125550101',
  whatsappCustomer: '+16505551234',
  whatsapp: '+15550783881',
} as const;

export const destinations = {
  sms: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-sms',
  whatsapp: 'arn:aws:social-messaging:us-east-1:111122223333:phone-number-id/whatsapp-1',
} as const;

export const secrets = {
  twilioAuthToken: 'twilio-auth-token-for-tests',
  whatsappAppSecret: 'whatsapp-app-secret-for-tests',
  whatsappVerifyToken: 'verify-me',
  standardWebhooks: generateStandardWebhookSecret(),
} as const;

export const topicArn = 'arn:aws:sns:us-east-1:111122223333:inbound-sms';
export const baseUrl = 'https://bridge.example';

export interface ErrorReport {
  error: ConnectChatError;
  message?: InboundMessage;
  event?: ChatIntegrationEvent;
}

export async function startBridge(options: { hooks?: WebhookHooks; maxAttempts?: number } = {}) {
  const emulator = await startEmulator({ port: 0 });
  const signer = await createSnsSigner();
  const errors: ErrorReport[] = [];
  const ignored: string[] = [];
  const bridge = createConnectChat({
    providers: [
      createSnsProvider({ topicArns: [topicArn] }),
      createTwilioProvider({ authToken: secrets.twilioAuthToken }),
      createWhatsAppProvider({ appSecret: secrets.whatsappAppSecret, verifyToken: secrets.whatsappVerifyToken }),
      createStandardWebhooksProvider({ secret: secrets.standardWebhooks }),
    ],
    sender: {
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' },
      rateLimit: false,
      retry: { maxAttempts: options.maxAttempts ?? 2, baseDelayMs: 5, maxDelayMs: 20 },
      deadlineMs: 5_000,
    },
    route: {
      destination: { [numbers.sms]: destinations.sms, [numbers.whatsapp]: destinations.whatsapp },
      session: { attributes: { bridge: 'e2e' } },
    },
    // SNS certificates and SubscribeURL confirmations go to the signer instead of the internet.
    fetch: signer.fetch,
    retryAfterSeconds: 2,
    hooks: {
      onError: (info) => {
        errors.push(info);
      },
      onIgnored: (event) => {
        ignored.push(event.reason);
      },
      ...options.hooks,
    },
  });
  return {
    emulator,
    signer,
    bridge,
    errors,
    ignored,
    /** The chat the emulator holds for a key; fails the test when there is none. */
    chat(SourceId: string, DestinationId: string, Subtype: string): ChatRecord {
      const found = emulator.chats().find((c) => c.key.SourceId === SourceId && c.key.DestinationId === DestinationId && c.key.Subtype === Subtype);
      if (!found) throw new Error(`no chat for ${SourceId} → ${DestinationId} (${Subtype}); chats: ${JSON.stringify(emulator.chats().map((c) => c.key))}`);
      return found;
    },
    /** Every MESSAGE content the emulator accepted, across chats, oldest first per chat. */
    messages(): string[] {
      return emulator
        .chats()
        .reverse()
        .flatMap((c) => c.transcript.filter((item) => item.type === 'MESSAGE').map((item) => item.content ?? ''));
    },
    close: () => emulator.close(),
  };
}

export type Bridge = Awaited<ReturnType<typeof startBridge>>;
