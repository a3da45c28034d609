import type { Server, ServerResponse } from 'node:http';
import { createJsonLogger, type JsonLogger } from './json-logger.ts';
import { type PreparedBridge, prepareBridge } from './prepare-bridge.ts';
import { portInUse, startupLine } from './startup-errors.ts';

/** Past this, connections still open on shutdown are cut: just above the providers' webhook timeouts (about 15 s). */
const shutdownGraceMs = 20_000;

/**
 * Starts a sample bridge: prepares it from the environment, lets `listen` mount the framework,
 * announces the URLs, and closes cleanly on SIGINT/SIGTERM. A configuration error is printed
 * as one clear line and exits 1. Every way out waits for the log lines still being written.
 */
export async function runBridge(listen: (bridge: PreparedBridge) => Promise<Server> | Server): Promise<void> {
  let logger: JsonLogger | undefined;
  const exit = async (code: number): Promise<never> => {
    await logger?.flush();
    process.exit(code);
  };
  let bridge: PreparedBridge;
  try {
    logger = createJsonLogger(process.env['LOG_LEVEL']);
    bridge = await prepareBridge(process.env, logger);
  } catch (error) {
    process.stderr.write(startupLine(error));
    return exit(1);
  }
  // EADDRINUSE and friends: one clear line naming PORT, not a stack trace.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    const { host, port } = bridge.config.listen;
    process.stderr.write(startupLine(portInUse('PORT', host, port, error) ?? error));
    void bridge.close().then(() => exit(1));
  };
  let server: Server;
  try {
    server = await listen(bridge);
  } catch (error) {
    return cannotListen(error as NodeJS.ErrnoException);
  }
  server.once('error', cannotListen);
  const ready = () => bridge.announce(server.address());
  if (server.listening) ready();
  else server.once('listening', ready);
  // A webhook being sent to Connect when the signal arrives is answered, not cut off: a cut
  // webhook is retried by the provider and sent twice once the in-memory idempotency store is gone.
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const stop = () => {
    stopping = true;
    // Keep-alive connections would otherwise hold close() open until each client drops them.
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    server.close(() => void bridge.close().then(() => exit(0)));
    server.closeIdleConnections?.();
    setTimeout(() => server.closeAllConnections?.(), shutdownGraceMs).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
