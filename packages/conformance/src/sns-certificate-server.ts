import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SnsSigner } from '@connect-chat/core/testing';

/** The far side of SNS, reachable over plain HTTP by a bridge in another process. */
export interface SnsCertificateServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves what `signer.fetch` serves (the signer's certificate for its `.pem` path, SubscribeURL
 * confirmations, which the signer records) for requests that `createSnsRedirectFetch` sent here.
 *
 * @example
 * const server = await startSnsCertificateServer(signer);
 * const fetch = createSnsRedirectFetch(server.url);
 */
export async function startSnsCertificateServer(signer: SnsSigner): Promise<SnsCertificateServer> {
  const origin = new URL(signer.certificateUrl).origin;
  const server = createServer((req, res) => {
    signer
      .fetch(new URL(req.url ?? '/', origin), { method: req.method ?? 'GET' })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
      })
      .catch(() => res.writeHead(502).end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
