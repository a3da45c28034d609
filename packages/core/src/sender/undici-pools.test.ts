import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSdkRequestHandler } from './sdk-runtime.ts';
import { createPools } from './undici-pools.ts';

// A server that answers every request and counts the connections made to it, and those still open.
let server: Server;
let port: number;
let opened = 0;
let open = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  server.on('connection', (socket) => {
    opened += 1;
    open += 1;
    socket.on('close', () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('createPools', () => {
  it('keeps one pool per origin, and starts over past 8 origins (the old pools close)', () => {
    const pools = createPools()!;
    const first = pools.poolFor('http://127.0.0.1:1');
    expect(pools.poolFor('http://127.0.0.1:1')).toBe(first);
    for (let i = 2; i <= 8; i++) pools.poolFor(`http://127.0.0.1:${i}`);
    expect(first.closed).toBe(false);
    pools.poolFor('http://127.0.0.1:9');
    expect(first.closed).toBe(true);
    expect(pools.poolFor('http://127.0.0.1:1')).not.toBe(first);
    pools.close();
  });
});

describe('createSdkRequestHandler', () => {
  it('keeps its connections alive between calls, and destroy() closes them', async () => {
    const handler = createSdkRequestHandler()!;
    const request = { method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/x', headers: { 'content-type': 'application/json' }, body: '{}' };
    opened = 0;
    for (let i = 0; i < 10; i++) {
      const { response } = await handler.handle(request);
      expect(response.statusCode).toBe(200);
      // The answer's bytes, read whole: the SDK's deserializers take bytes as they take a stream.
      expect(new TextDecoder().decode(response.body as Uint8Array)).toBe('{}');
    }
    // One connection per call without keep-alive; undici may open a second while the first is being released.
    expect(opened).toBeLessThanOrEqual(2);
    expect(open).toBeGreaterThan(0);
    handler.destroy();
    await vi.waitFor(() => expect(open).toBe(0));
  });

  it('sends the query string escaped as the SDK does', async () => {
    const seen: string[] = [];
    const listener = (req: { url?: string }) => seen.push(req.url ?? '');
    server.on('request', listener);
    const handler = createSdkRequestHandler()!;
    const query = { a: "it's (1)*", b: ['x y', 'z'], flag: null };
    const { response } = await handler.handle({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port, path: '/q', query, headers: {} });
    expect(response.body).toBeInstanceOf(Uint8Array);
    server.off('request', listener);
    handler.destroy();
    expect(seen).toEqual(['/q?a=it%27s%20%281%29%2A&b=x%20y&b=z&flag']);
  });
});
