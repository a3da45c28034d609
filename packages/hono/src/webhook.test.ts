import { ConnectChatError, createTwilioProvider } from '@connect-chat/core';
import { Hono } from 'hono';
import type { ExecutionContext } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestConnect, startTestConnect, twilioMessage } from '../test/support/bridge.ts';
import { webhook } from './index.ts';

let connect: TestConnect;
beforeAll(async () => {
  connect = await startTestConnect();
});
afterAll(() => connect.close());
beforeEach(() => connect.emulator.reset());

function executionContext(): ExecutionContext & { waited: Promise<unknown>[] } {
  const waited: Promise<unknown>[] = [];
  return { waited, waitUntil: (promise) => waited.push(promise), passThroughOnException() {}, props: {} };
}

describe('webhook()', () => {
  it('answers what core decided and sends the message', async () => {
    const app = new Hono().post('/webhooks/twilio', webhook(connect.chat().handler('twilio')));
    const response = await app.request(await twilioMessage('hello from hono'));
    expect({ status: response.status, type: response.headers.get('content-type'), body: await response.text() }).toEqual({
      status: 200,
      type: expect.stringContaining('xml'),
      body: expect.stringContaining('<Response></Response>'),
    });
    expect(connect.sentTexts()).toEqual(['hello from hono']);
  });

  it("passes core's refusals through unchanged: a bad signature is 401 and nothing is sent", async () => {
    const app = new Hono().post('/webhooks/twilio', webhook(connect.chat().handler('twilio')));
    const response = await app.request(await twilioMessage('forged', { authToken: 'not-the-token' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } });
    expect(connect.sentTexts()).toEqual([]);
  });

  it('gives secret functions the bindings in c.env', async () => {
    const authToken = ({ env }: { env?: Readonly<Record<string, unknown>> }) => String(env?.TWILIO_AUTH_TOKEN);
    const chat = connect.chat({ providers: [createTwilioProvider({ authToken })] });
    const app = new Hono().post('/webhooks/twilio', webhook(chat.handler('twilio')));
    const request = await twilioMessage('signed with the binding', { authToken: 'token-from-env' });
    const rightEnv = await app.request(request.clone(), undefined, { TWILIO_AUTH_TOKEN: 'token-from-env' });
    const wrongEnv = await app.request(request, undefined, { TWILIO_AUTH_TOKEN: 'another-token' });
    expect([rightEnv.status, wrongEnv.status]).toEqual([200, 401]);
  });

  it('hands hook work to executionCtx.waitUntil, so the response does not wait for it', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let hookDone = false;
    const onSent = async () => {
      await gate;
      hookDone = true;
    };
    const app = new Hono().post('/webhooks/twilio', webhook(connect.chat({ hooks: { onSent } }).handler('twilio')));
    const ctx = executionContext();
    const response = await app.request(await twilioMessage('after the response'), undefined, {}, ctx);
    expect({ status: response.status, hookDone, waited: ctx.waited.length }).toEqual({ status: 200, hookDone: false, waited: 1 });
    release();
    await Promise.all(ctx.waited);
    expect(hookDone).toBe(true);
  });

  it('without an ExecutionContext (Node, Bun, Deno) the response waits for hook work', async () => {
    let hookDone = false;
    const onSent = async () => {
      await Promise.resolve();
      hookDone = true;
    };
    const app = new Hono().post('/webhooks/twilio', webhook(connect.chat({ hooks: { onSent } }).handler('twilio')));
    const stackTraceLimit = Error.stackTraceLimit;
    const response = await app.request(await twilioMessage('before the response'));
    expect({ status: response.status, hookDone }).toEqual({ status: 200, hookDone: true });
    // Looking for the missing context must leave errors' stack traces as they were.
    expect(Error.stackTraceLimit).toBe(stackTraceLimit);
  });

  it('builds the handler per request from a factory, and serves GET and POST on one route', async () => {
    const chat = connect.chat();
    const seen: string[] = [];
    const app = new Hono().on(
      ['GET', 'POST'],
      '/webhooks/twilio',
      webhook((c) => {
        seen.push(c.req.method);
        return chat.handler('twilio');
      }),
    );
    const post = await app.request(await twilioMessage('via the factory'));
    const get = await app.request('/webhooks/twilio');
    expect({ post: post.status, get: get.status, allow: get.headers.get('allow'), seen }).toEqual({
      post: 200,
      get: 405,
      allow: 'POST',
      seen: ['POST', 'GET'],
    });
  });

  it('refuses anything but a handler or a factory at construction', () => {
    for (const value of [undefined, null, 42, 'twilio', {}, { fetch: 'nope' }, []]) {
      expect(() => webhook(value as never)).toThrowError(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    }
    expect(() => webhook({} as never)).toThrow('webhook(handler): expected a WebhookHandler or a function (c) => WebhookHandler, got an object');
  });

  it("reports a factory that returns something else as INVALID_OPTIONS through Hono's error handler", async () => {
    const errors: unknown[] = [];
    const app = new Hono()
      .post(
        '/webhooks/twilio',
        webhook(() => connect.chat() as never),
      )
      .onError((error, c) => {
        errors.push(error);
        return c.text('failed', 500);
      });
    const response = await app.request(await twilioMessage('never sent'));
    expect(response.status).toBe(500);
    expect(ConnectChatError.is(errors[0]) && errors[0].code).toBe('INVALID_OPTIONS');
    expect(String((errors[0] as Error).message)).toContain('expected the function to return a WebhookHandler, got an object');
  });
});
