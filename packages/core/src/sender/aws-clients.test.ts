import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectClient, SendChatIntegrationEventCommand, StartChatContactCommand } from '@aws-sdk/client-connect';
import { ConnectParticipantClient, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSdkClient, sdkClientConfig } from './aws-clients.ts';

// Every request is held unanswered until the client cuts it; the test counts the sockets closed.
let server: Server;
let endpoint: string;
const held: Array<Promise<void>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    held.push(new Promise((resolve) => res.on('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const connection = () => sdkClientConfig({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, endpoint });

// Each client core builds, with a command of the kind it sends.
const clients = [
  [
    'ConnectClient, SendChatIntegrationEvent',
    () => new ConnectClient(connection()),
    () =>
      new SendChatIntegrationEventCommand({
        SourceId: '+14155550100',
        DestinationId: 'arn:aws:sms-voice:us-east-1:1:phone-number/p',
        Event: { Type: 'MESSAGE' },
      }),
  ],
  [
    'ConnectClient, StartChatContact',
    () => new ConnectClient(connection()),
    () => new StartChatContactCommand({ InstanceId: 'i', ContactFlowId: 'f', ParticipantDetails: { DisplayName: 'c' }, ClientToken: 't' }),
  ],
  [
    'ConnectParticipantClient, SendMessage',
    () => new ConnectParticipantClient(connection()),
    () => new SendMessageCommand({ ConnectionToken: 'c', ContentType: 'text/plain', Content: 'hi', ClientToken: 't' }),
  ],
  [
    'PinpointSMSVoiceV2Client, SendTextMessage',
    () => new PinpointSMSVoiceV2Client(connection()),
    () => new SendTextMessageCommand({ DestinationPhoneNumber: '+14155550100', OriginationIdentity: '+14155550199', MessageBody: 'hi' }),
  ],
] as const;

describe('createSdkClient', () => {
  it.each(clients)('%s: each call stays abortable on the cached middleware stack, one signal per call', async (_name, build, command) => {
    held.length = 0;
    const client = createSdkClient(build());
    const first = new AbortController();
    const second = new AbortController();
    const cut = client.send(command(), { abortSignal: first.signal }).catch((e: unknown) => e);
    const kept = client.send(command(), { abortSignal: second.signal }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(held).toHaveLength(2));
    first.abort(new Error('attempt timeout'));
    expect(await cut).toBeInstanceOf(Error);
    // The request is cut on the wire, not only forgotten; the other call still waits for its answer.
    await Promise.any(held);
    const state = await Promise.race([kept.then(() => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 100))]);
    expect(state).toBe('pending');
    second.abort(new Error('attempt timeout'));
    expect(await kept).toBeInstanceOf(Error);
    await Promise.all(held);
  });

  it('an already aborted signal sends nothing', async () => {
    held.length = 0;
    const client = createSdkClient(new ConnectClient(connection()));
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(client.send(clients[0][2](), { abortSignal: controller.signal })).rejects.toBeInstanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held).toHaveLength(0);
  });
});
