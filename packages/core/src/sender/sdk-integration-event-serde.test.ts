import { ConnectClient, DescribeContactCommand, SendChatIntegrationEventCommand, StartChatContactCommand } from '@aws-sdk/client-connect';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerCases, requestCases } from '../../test/support/connect-wire-cases.ts';
import { type RecordedRequest, type RecordingConnect, startRecordingConnect } from '../../test/support/recording-connect.ts';
import { createSdkClient, type SdkClient, sdkClientConfig } from './sdk-client.ts';

// The ConnectClient core builds writes and reads SendChatIntegrationEvent without the SDK's schema
// serde: held here to the same SDK client as anyone would build it, byte for byte and field for field.

let connect: RecordingConnect;
let origin: string;

beforeAll(async () => {
  connect = await startRecordingConnect();
  origin = connect.origin;
});
beforeEach(() => {
  connect.reset();
  connect.reply = { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' };
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(() => connect.close());

const credentials = { accessKeyId: 'AKIDSERDE', secretAccessKey: 'serde-secret' };
const coreBuilt = (endpoint = origin): SdkClient => createSdkClient(new ConnectClient(sdkClientConfig({ region: 'us-east-1', credentials, endpoint })));
const plain = (endpoint = origin) => new ConnectClient({ region: 'us-east-1', credentials, endpoint, maxAttempts: 1 });

/** The request one call sent, as the server read it. */
async function requestOf(client: SdkClient, command: object): Promise<RecordedRequest> {
  connect.received.length = 0;
  await client.send(command);
  expect(connect.received).toHaveLength(1);
  return connect.received[0]!;
}

/** What a call came back with: its output, or its error's name, message, fault, metadata and fields. */
async function settled(client: SdkClient, command: object) {
  // The SDK's retry middleware (taken out of the clients core builds) adds these two; nothing else differs.
  const metadata = ({ attempts: _a, totalRetryDelay: _t, ...rest }: Record<string, unknown>) => rest;
  try {
    const { $metadata, ...output } = (await client.send(command)) as Record<string, unknown>;
    return { output, metadata: metadata($metadata as Record<string, unknown>) };
  } catch (error) {
    const { $metadata, ...fields } = error as Record<string, unknown>;
    const { name, message } = error as Error;
    return { error: { name, message, fields, metadata: metadata($metadata as Record<string, unknown>), type: (error as object).constructor.name } };
  }
}

const send = (event: object) => new SendChatIntegrationEventCommand(event as never);

describe('the ConnectClient core builds, SendChatIntegrationEvent against the SDK’s own serde', () => {
  it.each(requestCases)('%s: the same method, path, headers that describe the body, and body bytes', async (_label, event) => {
    const ours = await requestOf(coreBuilt(), send(event));
    const sdk = await requestOf(plain(), send(event));
    expect(ours.body.toString(), 'body').toBe(sdk.body.toString());
    expect(ours.body.equals(sdk.body)).toBe(true);
    expect(ours.method).toBe(sdk.method);
    expect(ours.url).toBe(sdk.url);
    for (const header of ['content-type', 'content-length', 'x-amz-content-sha256', 'host']) expect(ours.headers[header], header).toBe(sdk.headers[header]);
  });

  it.each(['/connect', '/connect/', '/a/b', '/with?query=1'])('joins the path of an endpoint ending in %s as the SDK does', async (path) => {
    const ours = await requestOf(coreBuilt(origin + path), send(requestCases[0]![1]));
    const sdk = await requestOf(plain(origin + path), send(requestCases[0]![1]));
    expect(ours.url).toBe(sdk.url);
  });

  it.each(answerCases)('%s: the same output, or the same error', async (_label, answer) => {
    connect.reply = answer;
    const event = requestCases[0]![1];
    const ours = await settled(coreBuilt(), send(event));
    const sdk = await settled(plain(), send(event));
    expect(ours).toEqual(sdk);
  });

  it('writes and reads it without the SDK’s serde, and leaves the other operations to it: the same requests as the SDK client', async () => {
    // The SDK's restJson1 protocol, watched before the client is built (so its methods are the watched ones).
    const protocol = Object.getPrototypeOf((plain().config as { protocol: object }).protocol) as Record<
      'serializeRequest' | 'deserializeResponse',
      () => unknown
    >;
    const serialize = vi.spyOn(protocol, 'serializeRequest');
    const deserialize = vi.spyOn(protocol, 'deserializeResponse');
    const client = coreBuilt();
    await client.send(send(requestCases[0]![1]));
    expect([serialize.mock.calls.length, deserialize.mock.calls.length]).toEqual([0, 0]);
    connect.reply = { status: 200, body: '{}' };
    await client.send(new DescribeContactCommand({ InstanceId: 'instance-1', ContactId: 'contact-1' }));
    expect([serialize.mock.calls.length, deserialize.mock.calls.length]).toEqual([1, 1]);
    vi.restoreAllMocks();
    const commands = [
      () => new DescribeContactCommand({ InstanceId: 'instance-1', ContactId: 'contact/1 ü' }),
      () =>
        new StartChatContactCommand({ InstanceId: 'instance-1', ContactFlowId: 'flow-1', ParticipantDetails: { DisplayName: 'Ana' }, ClientToken: 'token-1' }),
    ];
    for (const command of commands) {
      const ours = await requestOf(coreBuilt(), command());
      const sdk = await requestOf(plain(), command());
      expect([ours.method, ours.url, ours.body.toString()]).toEqual([sdk.method, sdk.url, sdk.body.toString()]);
    }
  });
});
