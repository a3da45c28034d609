import type { Server } from 'node:http';
import { ConnectChatError } from '@connect-chat/core';
import { type PreparedBridge, prepareBridge } from './prepare-bridge.ts';

/**
 * Starts a sample bridge: prepares it from the environment, lets `listen` mount the framework,
 * announces the URLs, and closes cleanly on SIGINT/SIGTERM. A configuration error is printed
 * as one clear line and exits 1.
 */
export async function runBridge(listen: (bridge: PreparedBridge) => Promise<Server> | Server): Promise<void> {
  let bridge: PreparedBridge;
  try {
    bridge = await prepareBridge();
  } catch (error) {
    const message = ConnectChatError.is(error) ? error.message : String(error);
    process.stderr.write(`connect-chat bridge: refusing to start: ${message}\n`);
    process.exit(1);
  }
  // EADDRINUSE and friends: one clear line, not a stack trace.
  const cannotListen = (error: NodeJS.ErrnoException) => {
    process.stderr.write(`connect-chat bridge: cannot listen on ${bridge.config.listen.host}:${bridge.config.listen.port}: ${error.code ?? error.message}\n`);
    void bridge.close().then(() => process.exit(1));
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
  const stop = () => {
    server.close();
    server.closeAllConnections?.();
    void bridge.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
