/**
 * Where connect-chat writes what it does: pass your own logger (pino, console, …), keep the
 * default ({@link consoleLogger}: warnings and errors on the console), or {@link silentLogger}.
 *
 * @example
 * const logger: Logger = { debug() {}, info: console.info, warn: console.warn, error: console.error };
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger that discards everything: for tests, or an app that reports through hooks only.
 *
 * @example
 * const chat = createConnectChat({ providers, route, logger: silentLogger, hooks: { onOutcome: report } });
 */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * The default logger: a refused webhook or a message not sent is never silent. Warnings and errors
 * go to `console.warn` / `console.error` (every runtime has them: Node, Bun, Deno, Workers Logs);
 * debug and info are dropped.
 *
 * @example
 * createConnectChat({ providers, route }); // same as logger: consoleLogger
 */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: toConsole('warn'),
  error: toConsole('error'),
};

function toConsole(level: 'warn' | 'error'): Logger['warn'] {
  return (message, fields) => {
    const args = fields === undefined ? [message] : [message, fields];
    // biome-ignore lint/suspicious/noConsole: the default logger is the one place core writes to the console
    console[level](...args);
  };
}
