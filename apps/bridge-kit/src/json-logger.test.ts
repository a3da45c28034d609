import { Writable } from 'node:stream';
import { ConnectChatError } from '@connect-chat/core';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './json-logger.ts';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(text));
      done();
    },
  });
  return { lines, stream };
}

describe('createJsonLogger', () => {
  it('writes an error field with its name, message, stack and cause chain, not {}', () => {
    const { lines, stream } = capture();
    const logger = createJsonLogger('info', stream);
    const cause = new Error('No DestinationId for +12065550100');
    logger.error('message not sent', { provider: 'twilio', error: new ConnectChatError('INVALID_EVENT', 'No DestinationId is configured', { cause }) });
    const [line] = lines;
    expect(line).toMatchObject({ level: 'error', msg: 'message not sent', provider: 'twilio' });
    expect(typeof line?.['time']).toBe('string');
    const error = line?.['error'] as Record<string, unknown>;
    expect(error).toMatchObject({ type: 'ConnectChatError', message: expect.stringContaining('No DestinationId is configured'), code: 'INVALID_EVENT' });
    expect(String(error['stack'])).toContain('json-logger.test.ts');
    expect(JSON.stringify(error)).toContain('+12065550100');
  });

  it('drops lines below LOG_LEVEL and refuses an unknown level naming the variable', () => {
    const { lines, stream } = capture();
    const logger = createJsonLogger('warn', stream);
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.map((line) => line['msg'])).toEqual(['loud']);
    expect(() => createJsonLogger('verbose', stream)).toThrow(/^LOG_LEVEL: expected one of debug, info, warn, error, got "verbose"/);
  });
});
