import fs from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConnectChatError } from '@connect-chat/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createJsonLogger, createLogDestination } from './json-logger.ts';

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

  describe('on a file descriptor (stdout in the bridges)', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('never writes synchronously on the caller’s turn, and flush() resolves once every line is out, in order', async () => {
      const path = join(await mkdtemp(join(tmpdir(), 'json-logger-')), 'out.log');
      const fd = fs.openSync(path, 'w');
      try {
        const writeSync = vi.spyOn(fs, 'writeSync');
        const logger = createJsonLogger('info', createLogDestination(fd));
        for (let i = 0; i < 500; i++) logger.info('inbound message', { provider: 'twilio', messageId: `SM${i}`, status: 200 });
        expect(writeSync).not.toHaveBeenCalled();
        await logger.flush();
        const lines = (await readFile(path, 'utf8')).split('\n');
        expect(lines.pop()).toBe('');
        expect(lines.map((line) => JSON.parse(line).messageId)).toEqual(Array.from({ length: 500 }, (_, i) => `SM${i}`));
        expect(JSON.parse(lines[0]!)).toEqual({
          level: 'info',
          time: expect.any(String),
          provider: 'twilio',
          messageId: 'SM0',
          status: 200,
          msg: 'inbound message',
        });
        // Nothing pending: resolves at once.
        await logger.flush();
      } finally {
        fs.closeSync(fd);
      }
    });
  });
});
