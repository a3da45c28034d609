import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of a server that loses chosen responses: the request reaches the server and is
 * handled, but the client's connection is cut before the answer arrives — a lost response, as a
 * flaky network or a load balancer timeout makes one.
 */
export interface LossyProxy {
  url: string;
  /** Loses the answer of the `nth` (1-based) request to `path` from now on counting. */
  loseResponse(path: string, nth?: number): void;
  /** Requests seen per path. */
  seen(path: string): number;
  close(): Promise<void>;
}

export async function startLossyProxy(target: string): Promise<LossyProxy> {
  const upstream = new URL(target);
  const counts = new Map<string, number>();
  const losses = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://proxy.invalid').pathname;
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const lose = losses.get(path) === count;
    // The Host header stays the proxy's: it is what the client signed.
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (lose) {
        // Handled upstream; the client never hears back.
        answer.resume();
        answer.on('end', () => res.socket?.destroy());
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.socket?.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    loseResponse(path, nth = 1) {
      losses.set(path, (counts.get(path) ?? 0) + nth);
    },
    seen: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
