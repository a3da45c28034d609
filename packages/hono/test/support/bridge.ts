import { createConnectChat, createTwilioProvider } from '@connect-chat/core';
import type { ConnectChat, ConnectChatOptions } from '@connect-chat/core';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';

export const twilioToken = 'twilio-token-in-process';
export const bridgeUrl = 'http://bridge.test';

/** An emulator with known credentials, and bridges aimed at it. */
export interface TestConnect {
  emulator: RunningEmulator;
  /** A Twilio bridge sending to the emulator; `overrides` replace options of `createConnectChat`. */
  chat(overrides?: Partial<ConnectChatOptions>): ConnectChat;
  /** What the emulator recorded, in order. */
  sentTexts(): string[];
  close(): Promise<void>;
}

export async function startTestConnect(): Promise<TestConnect> {
  const credentials = { accessKeyId: 'AKIDINPROCESS', secretAccessKey: 'in-process-secret' };
  const emulator = await startEmulator({ port: 0, credentials: [credentials] });
  return {
    emulator,
    chat: (overrides = {}) =>
      createConnectChat({
        providers: [createTwilioProvider({ authToken: twilioToken })],
        route: { destination: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-hono' },
        sender: { endpoint: emulator.url, region: 'us-east-1', credentials, rateLimit: false },
        ...overrides,
      }),
    sentTexts: () => emulator.chats().flatMap((chat) => chat.transcript.map((item) => item.content ?? '')),
    close: () => emulator.close(),
  };
}

/** A Twilio SMS delivery to `path` of the in-process app (or of `base`), signed with `authToken`. */
export function twilioMessage(text: string, options: { path?: string; authToken?: string; base?: string } = {}): Promise<Request> {
  return createTwilioRequest({
    url: `${options.base ?? bridgeUrl}${options.path ?? '/webhooks/twilio'}`,
    authToken: options.authToken ?? twilioToken,
    params: twilioMessageParams({ from: '+14155550100', to: '+12125550101', body: text }),
  });
}
