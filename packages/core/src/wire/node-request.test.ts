import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody } from '../http/read-body.ts';
import { fromNodeRequest, writeNodeResponse } from './node-request.ts';
import type { InboundRequest } from './types.ts';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A real node:http server that hands each request to `seen` as core sees it. */
async function serve(seen: (request: InboundRequest, done: (status: number) => void) => void): Promise<number> {
  const server = createServer((req, res) => seen(fromNodeRequest(req, { response: res }), (status) => res.writeHead(status).end()));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('fromNodeRequest', () => {
  it('gives the full URL, the headers and the body stream exactly as received', async () => {
    const received: Array<{ url: string; type: string | null; body: string }> = [];
    const port = await serve(async (request, done) => {
      received.push({ url: request.url, type: request.headers.get('content-type'), body: new TextDecoder().decode(await readBody(request.body, 1024)) });
      done(204);
    });
    const response = await fetch(`http://127.0.0.1:${port}/webhooks/twilio?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a=1&b=2',
    });
    expect(response.status).toBe(204);
    expect(received).toEqual([{ url: `http://127.0.0.1:${port}/webhooks/twilio?x=1`, type: 'text/plain', body: 'a=1&b=2' }]);
  });

  it('aborts the signal when the client goes away before the answer, and only then', async () => {
    const signals: AbortSignal[] = [];
    let answer: ((status: number) => void) | undefined;
    const port = await serve((request, done) => {
      signals.push(request.signal!);
      answer = done;
    });
    const gone = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/generic' });
    gone.on('error', () => {});
    gone.end('{}');
    await expect.poll(() => signals.length).toBe(1);
    gone.destroy();
    await expect.poll(() => signals[0]?.aborted).toBe(true);

    const answered = fetch(`http://127.0.0.1:${port}/webhooks/generic`, { method: 'POST', body: '{}' });
    await expect.poll(() => signals.length).toBe(2);
    answer?.(200);
    expect((await answered).status).toBe(200);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('builds the signal only when read, aborted if the client went away before the answer', async () => {
    const made = { controllers: 0 };
    const Original = globalThis.AbortController;
    globalThis.AbortController = class extends Original {
      constructor() {
        super();
        made.controllers++;
      }
    };
    try {
      const requests: InboundRequest[] = [];
      let answer: ((status: number) => void) | undefined;
      const port = await serve((request, done) => {
        requests.push(request);
        answer = done;
      });
      const gone = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/generic' });
      gone.on('error', () => {});
      gone.end('{}');
      await expect.poll(() => requests.length).toBe(1);
      gone.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(made.controllers).toBe(0);
      // Read for the first time after the client went away: aborted all the same, and stays the same object.
      expect(requests[0]!.signal?.aborted).toBe(true);
      expect(requests[0]!.signal).toBe(requests[0]!.signal);

      // node:http, not fetch: undici makes controllers of its own.
      const answered = new Promise<number>((resolve, reject) => {
        httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/generic' }, (res) => resolve(res.resume().statusCode ?? 0))
          .on('error', reject)
          .end('{}');
      });
      await expect.poll(() => requests.length).toBe(2);
      answer?.(200);
      expect(await answered).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(requests[1]!.signal?.aborted).toBe(false);
      expect(made.controllers).toBe(2);
      // Still a plain property to whoever sets it.
      const replaced = new Original().signal;
      requests[1]!.signal = replaced;
      expect(requests[1]!.signal).toBe(replaced);
    } finally {
      globalThis.AbortController = Original;
    }
  });
});

describe('writeNodeResponse', () => {
  it("writes core's answer verbatim, in one piece with its Content-Length", async () => {
    const server = createServer((_req, res) =>
      writeNodeResponse(res, { status: 503, headers: { 'content-type': 'application/json', 'retry-after': '2' }, body: '{"error":"é"}' }),
    );
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');

    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);

    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(response.headers.get('content-length')).toBe('14');
    expect(await response.text()).toBe('{"error":"é"}');
  });
});
