import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectChatOptionsFromEnv } from '@connect-chat/bridge-kit/config';
import { createConnectChat } from '@connect-chat/core';
import { createSnsRedirectFetch, describeConformance } from './index.ts';

// The suite checked against the contract an out-of-process bridge follows: configuration from
// `setup.env` alone (default retry budget), SNS reached through the certificate server, and the
// thinnest possible node:http adapter.
describeConformance('node:http bridge configured from env', async (setup) => {
  const config = connectChatOptionsFromEnv(setup.env);
  const chat = createConnectChat({ ...config.options, fetch: createSnsRedirectFetch(setup.snsCertificateServerUrl) });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const handler = chat.match(url.pathname);
    if (!handler) {
      res.writeHead(404).end('not a bridge route');
      return;
    }
    const headers = { get: (name: string) => req.headers[name.toLowerCase()]?.toString() ?? null };
    handler.handle({ method: req.method ?? 'GET', url: url.href, headers, body: req }).then((reply) => {
      res.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
});
