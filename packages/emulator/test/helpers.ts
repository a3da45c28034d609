import {
  ConnectClient,
  SendChatIntegrationEventCommand,
  type SendChatIntegrationEventCommandInput,
  StartChatContactCommand,
  type StartChatContactCommandInput,
} from '@aws-sdk/client-connect';
import { ConnectParticipantClient, CreateParticipantConnectionCommand } from '@aws-sdk/client-connectparticipant';
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

/** The real participant service client pointed at the emulator: it authenticates by X-Amz-Bearer, the credentials only satisfy its signer. */
export function participantClient(endpoint: string): ConnectParticipantClient {
  return new ConnectParticipantClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'AKIDANY', secretAccessKey: 'any' }, maxAttempts: 1 });
}

export const instanceId = '4b1fa2ce-0d6a-4f0e-9f55-6a1d2f6f1d5e';
export const contactFlowId = '9c1b6f0e-1d0b-4c5c-9a51-0c7e4c7b9e2a';

export function startChat(client: ConnectClient, overrides: Partial<StartChatContactCommandInput> = {}) {
  return client.send(
    new StartChatContactCommand({ InstanceId: instanceId, ContactFlowId: contactFlowId, ParticipantDetails: { DisplayName: 'Ana' }, ...overrides }),
  );
}

/** A started chat with a connected customer: what a participant-transport bridge holds. */
export async function connectedChat(
  connect: ConnectClient,
  participant: ConnectParticipantClient,
  overrides: Partial<StartChatContactCommandInput> = {},
): Promise<{ ContactId: string; ParticipantToken: string; ConnectionToken: string }> {
  const started = await startChat(connect, overrides);
  const connection = await participant.send(
    new CreateParticipantConnectionCommand({ ParticipantToken: started.ParticipantToken, Type: ['CONNECTION_CREDENTIALS'], ConnectParticipant: true }),
  );
  return {
    ContactId: started.ContactId ?? '',
    ParticipantToken: started.ParticipantToken ?? '',
    ConnectionToken: connection.ConnectionCredentials?.ConnectionToken ?? '',
  };
}
