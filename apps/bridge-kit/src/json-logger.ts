import { ConnectChatError, type Logger } from '@connect-chat/core';
import { pino, stdSerializers } from 'pino';

const levels = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof levels)[number];

/**
 * One JSON object per line on stdout (`time`, `level`, `msg`, then the fields): what log collectors
 * ingest without configuration. `LOG_LEVEL` picks the lowest level written (default `info`). Errors
 * in any field are written with their name, message, stack and cause chain.
 *
 * @example
 * const logger = createJsonLogger(process.env.LOG_LEVEL);
 * logger.error('not sent', { error }); // {"level":"error","time":"…","msg":"not sent","error":{"type":"Error","message":"…","stack":"…","cause":{…}}}
 */
export function createJsonLogger(minimum: string | undefined = 'info', destination: pino.DestinationStream = pino.destination({ fd: 1, sync: true })): Logger {
  if (!levels.includes(minimum as Level)) {
    throw new ConnectChatError('INVALID_OPTIONS', `LOG_LEVEL: expected one of ${levels.join(', ')}, got "${minimum.slice(0, 40)}"; unset it for info`);
  }
  const log = pino(
    {
      level: minimum,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: stdSerializers.errWithCause, err: stdSerializers.errWithCause },
    },
    destination,
  );
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => log[level](fields ?? {}, message);
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
