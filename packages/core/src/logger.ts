/**
 * Where connect-chat writes what it does. Library code never calls `console`; pass your own logger
 * (pino, console, …) or keep the default, which discards everything.
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
 * A logger that discards everything: the default, so a library never writes to an app's output
 * unasked.
 *
 * @example
 * const chat = createConnectChat({ providers, route, logger: process.env.DEBUG ? console : silentLogger });
 */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
