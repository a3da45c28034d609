import { ConnectClient, SendChatIntegrationEventCommand, type SendChatIntegrationEventCommandInput } from '@aws-sdk/client-connect';
import type { Logger } from '@connect-chat/core';

export const credentials = { accessKeyId: 'AKIDEMULATORTEST', secretAccessKey: 'emulator-test-secret' };

/** The real SDK client pointed at the emulator; one attempt so every error surfaces as answered. */
export function connectClient(endpoint: string, overrides: Partial<typeof credentials> = {}): ConnectClient {
  return new ConnectClient({ region: 'us-east-1', endpoint, credentials: { ...credentials, ...overrides }, maxAttempts: 1 });
}

export function message(content: string, overrides: Partial<SendChatIntegrationEventCommandInput> = {}): SendChatIntegrationEventCommandInput {
  return {
    SourceId: '+14155550100',
    DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef',
    Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: content },
    ...overrides,
  };
}

export function disconnect(overrides: Partial<SendChatIntegrationEventCommandInput> = {}): SendChatIntegrationEventCommandInput {
  return { ...message(''), Event: { Type: 'DISCONNECT' }, ...overrides };
}

export function send(client: ConnectClient, input: SendChatIntegrationEventCommandInput) {
  return client.send(new SendChatIntegrationEventCommand(input));
}

/** What `send` rejected with; fails the test when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number; requestId?: string } };
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A logger that records every line, for asserting on what the emulator logged. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message: msg, ...(fields ? { fields } : {}) });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
