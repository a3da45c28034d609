import { createServer, type IncomingHttpHeaders } from 'node:http';
import { closeServer, listen } from './bridge.ts';

/** One POST a subscriber received. */
export interface ReceivedNotification {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export interface Subscriber {
  url: string;
  received: ReceivedNotification[];
  /** Statuses for the next requests, in order; 200 once empty. */
  statuses: number[];
  /** Resolves once `count` requests were received in all. */
  receivedCount(count: number): Promise<void>;
  /** While set, requests are held until it resolves. */
  hold: Promise<void> | undefined;
  close(): Promise<void>;
}

/** A real HTTP endpoint subscribed to a topic: records every notification and answers the statuses it is told. */
export async function startSubscriber(): Promise<Subscriber> {
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const subscriber: Subscriber = {
    url: '',
    received: [],
    statuses: [],
    hold: undefined,
    receivedCount: (count) => (subscriber.received.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    close: () => closeServer(server),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      subscriber.received.push({ path: req.url ?? '/', headers: req.headers, body, json: JSON.parse(body) as Record<string, unknown> });
      for (const waiter of waiters.filter((w) => subscriber.received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (subscriber.hold) await subscriber.hold;
      res.writeHead(subscriber.statuses.shift() ?? 200).end();
    });
  });
  subscriber.url = `${await listen(server)}/webhooks/connect`;
  return subscriber;
}
