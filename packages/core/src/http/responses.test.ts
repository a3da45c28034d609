import { describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { errorResponse, errorResponseFor, internalErrorMessage, okResponse } from './responses.ts';

describe('responses', () => {
  it('answers errors as {"error":{"code","message"}} with the status of the one table', () => {
    const response = errorResponse('SIGNATURE_INVALID', 'X-Twilio-Signature does not match', { retryAfterSeconds: 5 });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body)).toEqual({ error: { code: 'SIGNATURE_INVALID', message: 'X-Twilio-Signature does not match' } });
    expect(response.headers['retry-after']).toBeUndefined();
  });

  it('adds Allow to a 405 and Retry-After to a 503', () => {
    expect(errorResponse('METHOD_NOT_ALLOWED', 'no', { allow: ['GET', 'POST'], retryAfterSeconds: 5 }).headers.allow).toBe('GET, POST');
    const busy = errorResponse('CONNECT_THROTTLED', 'slow down', { retryAfterSeconds: 7 });
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toBe('7');
  });

  it('never shows what an INTERNAL error wraps', () => {
    const error = new ConnectChatError('INTERNAL', 'token=s3cr3t leaked', { cause: new Error('stack') });
    const response = errorResponseFor(error, { retryAfterSeconds: 5 });
    expect(response.status).toBe(500);
    expect(response.body).not.toContain('s3cr3t');
    expect(JSON.parse(response.body).error).toEqual({ code: 'INTERNAL', message: internalErrorMessage });
  });

  it('summarises a handled delivery', () => {
    const response = okResponse({ sent: 2, duplicates: 1, ignored: 3 });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok', sent: 2, duplicates: 1, ignored: 3 });
  });
});
