import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.ts';
import { fromWebRequest, toWebResponse } from './web.ts';

describe('fromWebRequest / toWebResponse', () => {
  it('hands over method, full URL, headers and the unread body stream', async () => {
    const request = new Request('https://bridge.example/webhooks/twilio?x=1', {
      method: 'POST',
      headers: { 'X-Twilio-Signature': 'abc', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Body=hi',
    });
    const inbound = fromWebRequest(request);
    expect(inbound.method).toBe('POST');
    expect(inbound.url).toBe('https://bridge.example/webhooks/twilio?x=1');
    expect(inbound.headers.get('x-twilio-signature')).toBe('abc');
    expect(inbound.body).toBeInstanceOf(ReadableStream);
    expect(new TextDecoder().decode(await readBody(inbound.body, 100))).toBe('Body=hi');
  });

  it('gives a GET a null body', () => {
    expect(fromWebRequest(new Request('https://bridge.example/')).body).toBeNull();
  });

  it('writes status, headers and body back verbatim', async () => {
    const response = toWebResponse({ status: 503, headers: { 'retry-after': '5', 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.text()).toBe('{"a":1}');
  });

  it('drops the body for statuses that may not have one', async () => {
    const response = toWebResponse({ status: 204, headers: {}, body: '' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });
});
