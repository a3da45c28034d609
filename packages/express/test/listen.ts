import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What both Express versions' `app.listen` returns. */
interface Listening {
  listen(port: number, host: string): Server;
}

/**
 * Starts an Express app (4 or 5) on 127.0.0.1 and a free port.
 *
 * @example
 * const server = await listen(app);
 * await fetch(`${server.baseUrl}/webhooks/twilio`);
 * await server.close();
 */
export async function listen(app: Listening): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
