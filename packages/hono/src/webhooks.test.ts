import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestConnect, startTestConnect, twilioMessage } from '../test/support/bridge.ts';
import { webhooks } from './index.ts';

let connect: TestConnect;
beforeAll(async () => {
  connect = await startTestConnect();
});
afterAll(() => connect.close());
beforeEach(() => connect.emulator.reset());

describe('webhooks()', () => {
  it('serves the bridge routes and passes every other path to next()', async () => {
    const app = new Hono();
    app.use(webhooks(connect.chat()));
    app.get('/healthz', (c) => c.text('ok'));
    app.post('/webhooks/twilio/extra', (c) => c.text('app route'));
    const webhook = await app.request(await twilioMessage('through the middleware'));
    const health = await app.request('/healthz');
    const nested = await app.request('/webhooks/twilio/extra', { method: 'POST' });
    expect([webhook.status, await health.text(), await nested.text()]).toEqual([200, 'ok', 'app route']);
    expect(connect.sentTexts()).toEqual(['through the middleware']);
  });

  it('matches the full path when mounted in a sub-app', async () => {
    const api = new Hono();
    api.use(webhooks(connect.chat({ basePath: '/api/hooks' })));
    const app = new Hono().route('/api', api);
    const mounted = await app.request(await twilioMessage('under /api', { path: '/api/hooks/twilio' }));
    const unmounted = await app.request(await twilioMessage('nowhere', { path: '/hooks/twilio' }));
    expect([mounted.status, unmounted.status]).toEqual([200, 404]);
    expect(connect.sentTexts()).toEqual(['under /api']);
  });

  it.each([
    ['c.req.text()', (c: { req: { text(): Promise<unknown> } }) => c.req.text()],
    ['c.req.parseBody()', (c: { req: { parseBody(): Promise<unknown> } }) => c.req.parseBody()],
    ['c.req.arrayBuffer()', (c: { req: { arrayBuffer(): Promise<unknown> } }) => c.req.arrayBuffer()],
  ])('verifies the exact bytes when earlier middleware read the body with %s', async (_name, read) => {
    const app = new Hono();
    app.use(async (c, next) => {
      await read(c);
      await next();
    });
    app.use(webhooks(connect.chat()));
    const response = await app.request(await twilioMessage('read twice'));
    expect(response.status).toBe(200);
    expect(connect.sentTexts()).toEqual(['read twice']);
  });

  it("answers 500 BODY_ALREADY_PARSED when the body was consumed behind Hono's back", async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await c.req.raw.text();
      await next();
    });
    app.use(webhooks(connect.chat()));
    const response = await app.request(await twilioMessage('lost bytes'));
    expect({ status: response.status, body: await response.json() }).toMatchObject({ status: 500, body: { error: { code: 'BODY_ALREADY_PARSED' } } });
    expect(connect.sentTexts()).toEqual([]);
  });

  it('builds the bridge from the context once per request path it sees', async () => {
    const chat = connect.chat();
    const envs: unknown[] = [];
    const app = new Hono();
    app.use(
      webhooks((c) => {
        envs.push(c.env);
        return chat;
      }),
    );
    const env = { TWILIO_AUTH_TOKEN: 'unused' };
    const response = await app.request(await twilioMessage('via a factory'), undefined, env);
    expect({ status: response.status, envs }).toEqual({ status: 200, envs: [env] });
  });

  it('refuses anything but a bridge or a factory at construction', () => {
    for (const value of [undefined, null, 7, 'chat', {}, { match: true }, []]) {
      expect(() => webhooks(value as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
    expect(() => webhooks(null as never)).toThrow('webhooks(chat): expected a ConnectChat or a function (c) => ConnectChat, got null');
  });
});
