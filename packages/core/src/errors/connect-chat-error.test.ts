import { describe, expect, it } from 'vitest';
import { ConnectChatError, httpStatusFor, isRetryableCode } from './connect-chat-error.ts';
import { SendError } from './send-error.ts';
import { SignatureError } from './signature-error.ts';
import { ValidationError } from './validation-error.ts';

describe('ConnectChatError', () => {
  it('is recognised across copies of the package by its brand, not by instanceof', () => {
    const error = new ConnectChatError('FORBIDDEN', 'topic not allowed');
    // What a second install of the package constructs: another class, the same global symbol brand.
    class SecondCopy extends Error {
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('@connect-chat/core.ConnectChatError'), { value: true });
      }
    }
    const copy = new SecondCopy();
    expect(ConnectChatError.is(error)).toBe(true);
    expect(ConnectChatError.is(copy)).toBe(true);
    expect(ConnectChatError.is(new Error('plain'))).toBe(false);
    expect(ConnectChatError.is({ code: 'FORBIDDEN' })).toBe(false);
    expect(ConnectChatError.is(null)).toBe(false);
  });

  it('keeps the cause it was given', () => {
    const cause = new TypeError('boom');
    expect(new ConnectChatError('INTERNAL', 'x', { cause }).cause).toBe(cause);
  });

  it('maps codes to the statuses of the status-code invariant', () => {
    expect(httpStatusFor('SIGNATURE_INVALID')).toBe(401);
    expect(httpStatusFor('FORBIDDEN')).toBe(403);
    expect(httpStatusFor('MALFORMED_PAYLOAD')).toBe(400);
    expect(httpStatusFor('PAYLOAD_TOO_LARGE')).toBe(413);
    expect(httpStatusFor('UNSUPPORTED_MEDIA_TYPE')).toBe(415);
    expect(httpStatusFor('METHOD_NOT_ALLOWED')).toBe(405);
    expect(httpStatusFor('CONNECT_THROTTLED')).toBe(503);
    expect(httpStatusFor('CONNECT_ACCESS_DENIED')).toBe(422);
    expect(httpStatusFor('INVALID_EVENT')).toBe(422);
    expect(isRetryableCode('DEADLINE_EXCEEDED')).toBe(true);
    expect(isRetryableCode('CONNECT_INVALID_REQUEST')).toBe(false);
  });

  it('subclasses carry the fields callers branch on', () => {
    const send = new SendError('CONNECT_THROTTLED', 'slow down', { requestId: 'r-1', attempts: 3 });
    expect(send).toBeInstanceOf(ConnectChatError);
    expect(send.retryable).toBe(true);
    expect(send.requestId).toBe('r-1');
    expect(new SendError('CONNECT_RESOURCE_NOT_FOUND', 'gone').retryable).toBe(false);
    expect(new SignatureError('bad').status).toBe(401);
    const invalid = new ValidationError([{ path: 'SourceId', message: 'must not be empty' }]);
    expect(invalid.code).toBe('INVALID_EVENT');
    expect(invalid.message).toContain('SourceId: must not be empty');
  });
});
