import { describe, expect, it } from 'vitest';
import { readBody } from './read-body.ts';
import { fromWebRequest, toWebResponse } from './web.ts';

describe('fromWebRequest / toWebResponse', () => {
  it('hands over method, full URL, headers and the unread body', async () => {
    const request = new Request('https://bridge.example/webhooks/twilio?x=1', {
      method: 'POST',
      headers: { 'X-Twilio-Signature': 'abc', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Body=hi',
    });
    const inbound = fromWebRequest(request);
    expect(inbound.method).toBe('POST');
    expect(inbound.url).toBe('https://bridge.example/webhooks/twilio?x=1');
    expect(inbound.headers.get('x-twilio-signature')).toBe('abc');
    expect(request.bodyUsed).toBe(false);
    expect(new TextDecoder().decode(await readBody(inbound.body, 100))).toBe('Body=hi');
    expect(request.bodyUsed).toBe(true);
  });

  it('gives a GET an empty body', async () => {
    expect((await readBody(fromWebRequest(new Request('https://bridge.example/')).body, 100)).byteLength).toBe(0);
  });

  it('never reads more than the limit, whatever the Content-Length says', async () => {
    const request = (body: string, headers: Record<string, string> = {}) =>
      fromWebRequest(new Request('https://bridge.example/', { method: 'POST', body, headers })).body;
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => 'read',
        (error: { code?: string }) => error.code,
      );
    expect(await codeOf(readBody(request('a'.repeat(101), { 'content-length': '3' }), 100))).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(readBody(request('a'.repeat(101), { 'content-length': '1000' }), 100))).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(readBody(request('a'.repeat(101)), 100))).toBe('PAYLOAD_TOO_LARGE');
    expect(await codeOf(readBody(request('a'.repeat(100), { 'content-length': '100' }), 100))).toBe('read');
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
