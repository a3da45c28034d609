import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A load balancer as simple as they come: round robin over the instances it is given. */
export interface RoundRobinProxy {
  url: string;
  /** Replaces the instances requests go to (an instance died, one came back). */
  setTargets(urls: readonly string[]): void;
  close(): Promise<void>;
}

/** The answer's header naming the instance that answered (its URL), for the run's report. */
export const servedByHeader = 'x-served-by';

/**
 * Forwards each request to the next instance. An instance that refuses the connection or breaks it
 * is answered 502, as a load balancer without health checks does: the provider retries. Every
 * answer names the instance it went to in {@link servedByHeader}.
 */
export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let targets: URL[] = [];
  let next = 0;
  // As a load balancer does, it reuses its connections to each instance, at most as many as the
  // instance's accept queue holds (Node's default backlog, 511), and queues the rest: 2,000 providers
  // at once must not become 2,000 new connections the instance drops, each waiting out SYN retries.
  const agent = new Agent({ keepAlive: true, maxSockets: 500 });
  const server = createServer((req, res) => {
    const target = targets[next++ % Math.max(1, targets.length)];
    if (!target) return void res.writeHead(502).end();
    // The Host header stays the proxy's: Twilio signs the URL it called.
    res.setHeader(servedByHeader, target.origin);
    const forwarded = request({ agent, host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forwarded);
  });
  server.keepAliveTimeout = 1_000;
  // A load balancer's accept queue is deep: at 20,000 messages, 2,000 providers connect at once and
  // Node's default backlog (511) overflows, so connections wait for SYN retries instead of the bridges.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4_096 }, resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTargets(urls) {
      targets = urls.map((url) => new URL(url));
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
