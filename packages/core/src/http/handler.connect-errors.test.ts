// What a webhook caller learns when Connect refuses: the code and a plain sentence, never what AWS
// said about our account (principal ARNs, account ids) or where our infrastructure lives.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingHooks, testProvider, testRequest } from '../../test/support/fakes.ts';
import type { ConnectChatError } from '../errors/connect-chat-error.ts';
import { createSender } from '../sender/sender.ts';
import { createWebhookHandler } from './handler.ts';

const principal = 'arn:aws:sts::444455556666:assumed-role/connect-bridge-prod/i-0abc123def456';
let server: Server;
let endpoint: string;

beforeAll(async () => {
  // Connect's wire format for AccessDeniedException, with the message IAM really writes.
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': 'req-1' });
      res.end(JSON.stringify({ message: `User: ${principal} is not authorized to perform: connect:SendChatIntegrationEvent` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function handlerFor(connectEndpoint: string) {
  const hooks = recordingHooks();
  const handler = createWebhookHandler({
    provider: testProvider().provider,
    sender: createSender({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMIEXAMPLEKEY' },
      endpoint: connectEndpoint,
      rateLimit: false,
      retry: { maxAttempts: 1 },
    }),
    route: { destination: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' },
    hooks: hooks.hooks,
  });
  return { handler, hooks };
}

describe('createWebhookHandler: Connect failures in the response body', () => {
  it('answers AccessDeniedException with the plain explanation, without the principal AWS named', async () => {
    const { handler, hooks } = handlerFor(endpoint);
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('CONNECT_ACCESS_DENIED');
    expect(body.error.message).toMatch(/End User Messaging/);
    expect(body.error.message).not.toContain('444455556666');
    expect(body.error.message).not.toContain('connect-bridge-prod');
    // The application still gets every detail.
    const [report] = hooks.of<{ error: ConnectChatError }>('onError');
    expect(report!.error.message).toContain(principal);
  });

  it('answers a network failure 503 without naming the host it could not reach', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { handler, hooks } = handlerFor(`http://127.0.0.1:${port}`);
    const response = await handler.fetch(testRequest({ messages: [{ id: 'm1' }] }));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('NETWORK_ERROR');
    expect(text).not.toContain(String(port));
    expect(text).not.toContain('ECONNREFUSED');
    const [report] = hooks.of<{ error: ConnectChatError }>('onError');
    expect(report!.error.message).toContain('ECONNREFUSED');
  });
});
