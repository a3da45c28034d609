import { SignatureError, createWebhookHandler } from '@connect-chat/core';
import { webhook } from '@connect-chat/hono';
import type { Env, Hono } from 'hono';

/** The probe's `maxBodyBytes`: small, so a body past it is cheap to send. */
export const probeLimit = 1000;
export const probePath = '/_test/body-probe';

/**
 * A route whose provider records how many body bytes reached it and refuses every request (401),
 * so a test sees what the handler read, whatever the client declared; `GET <path>/seen` answers the
 * lengths recorded since the last look.
 */
export function mountBodyProbe<E extends Env>(app: Hono<E>): void {
  let seen: number[] = [];
  const handler = createWebhookHandler({
    provider: {
      name: 'probe',
      methods: ['POST'],
      async verify(request) {
        seen.push(request.body.byteLength);
        throw new SignatureError('the probe refuses every request');
      },
      async parse() {
        return { kind: 'messages', messages: [], ignored: [] };
      },
    },
    sender: {
      send: () => Promise.reject(new Error('the probe never sends')),
    },
    route: { destination: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-probe' },
    maxBodyBytes: probeLimit,
  });
  app.post(probePath, webhook(handler));
  app.get(`${probePath}/seen`, (c) => {
    const lengths = seen;
    seen = [];
    return c.json(lengths);
  });
}
