import { ConnectChatError, type Logger } from '@connect-chat/core';
import { pino, stdSerializers } from 'pino';

const levels = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof levels)[number];

/** How long `flush` waits for stdout at most: a reader that stopped reading must not hold up an exit. */
const flushTimeoutMs = 2_000;

/**
 * A {@link Logger} whose lines can be waited for.
 *
 * @example
 * await logger.flush();
 * process.exit(1);
 */
export interface JsonLogger extends Logger {
  /**
   * Resolves once every line logged so far is written (or after a bounded wait). Call it before
   * `process.exit`: stdout is written off the caller's turn, and an exit does not wait for it.
   */
  flush(): Promise<void>;
}

/** A destination that can say when what it was given is written. */
interface FlushableDestination extends pino.DestinationStream {
  flush(): Promise<void>;
}

/**
 * One JSON object per line on stdout (`time`, `level`, `msg`, then the fields): what log collectors
 * ingest without configuration. `LOG_LEVEL` picks the lowest level written (default `info`). Errors
 * in any field are written with their name, message, stack and cause chain. Lines go to stdout
 * asynchronously (a line per message must not stall the event loop on a slow pipe); `flush()` waits
 * for them, and an exit that did not wait still writes what is buffered.
 *
 * @example
 * const logger = createJsonLogger(process.env.LOG_LEVEL);
 * logger.error('not sent', { error }); // {"level":"error","time":"…","msg":"not sent","error":{"type":"Error","message":"…","stack":"…","cause":{…}}}
 */
export function createJsonLogger(minimum: string | undefined = 'info', destination: pino.DestinationStream = createLogDestination()): JsonLogger {
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
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    flush: async () => {
      await (destination as Partial<FlushableDestination>).flush?.();
    },
  };
}

/**
 * File descriptor `fd` (stdout by default) written with `fs.write` off the event loop, lines batched
 * while a write is under way. pino registers a synchronous flush of what is still buffered on process
 * exit; `flush()` also waits for the write under way, which that cannot.
 *
 * @example
 * const logger = createJsonLogger('info', createLogDestination());
 */
export function createLogDestination(fd = 1): FlushableDestination {
  const stream = pino.destination({ fd, sync: false });
  // Set by every line, cleared when the stream has written everything it was given ('drain').
  let writing = false;
  const idle: Array<() => void> = [];
  const settle = () => {
    writing = false;
    for (const resolve of idle.splice(0)) resolve();
  };
  stream.on('drain', settle);
  stream.on('close', settle);
  return {
    write(line: string) {
      writing = true;
      return stream.write(line);
    },
    flush() {
      if (!writing) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, flushTimeoutMs);
        timer.unref();
        idle.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
