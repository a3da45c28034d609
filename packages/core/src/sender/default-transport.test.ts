import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textMessage } from '../model/builders.ts';
import { createDefaultTransport as webDefault } from './default-transport.web.ts';
import { createSender } from './sender.ts';

// Which transport createSender builds when given none: the SDK's here (Node resolves
// `#default-transport` to it), the fetch transport in Workers and browser bundles.
const headers: IncomingMessage['headers'][] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      headers.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-default' });
      res.end('{"InitialContactId":"c-1","NewChatCreated":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const connection = () => ({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDDEFAULT', secretAccessKey: 'default-secret' }, endpoint });
const event = textMessage({ SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p', Subtype: 'connect:sms' }, 'hi');
const signal = () => new AbortController().signal;

describe('the default transport', () => {
  it('on Node is the AWS SDK transport (its requests carry the SDK’s user agent)', async () => {
    headers.length = 0;
    const result = await createSender({ ...connection(), rateLimit: false }).send(event);
    expect(result).toMatchObject({ initialContactId: 'c-1', requestId: 'req-default' });
    expect(headers[0]?.['user-agent']).toMatch(/^aws-sdk-js\//);
  });

  it('in Workers and browsers is the fetch transport, with the same quota', async () => {
    headers.length = 0;
    const transport = webDefault(connection());
    const result = await transport.send(event, { signal: signal(), idempotencyKey: 'k', pace: async () => {} });
    expect(result).toEqual({ InitialContactId: 'c-1', NewChatCreated: true, requestId: 'req-default' });
    expect(headers[0]?.['user-agent'] ?? '').not.toMatch(/aws-sdk-js/);
    expect(headers[0]?.['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDDEFAULT\/\d{8}\/us-east-1\/connect\/aws4_request/);
    expect(transport.quotas).toEqual({ SendChatIntegrationEvent: { requestsPerSecond: 17, burst: 26 } });
  });

  it('in Workers and browsers refuses an SDK client, naming the way to use one', () => {
    expect(() => webDefault({ client: { send: async () => ({}) } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining('transport: createConnectTransport({ client })') }),
    );
  });
});
