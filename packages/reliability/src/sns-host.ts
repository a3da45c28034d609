import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSnsSigner, type SnsSigner } from '@connect-chat/core/testing';

/** Amazon SNS for the run: its signer, and where bridges fetch its certificate from. */
export interface SnsHost {
  signer: SnsSigner;
  /** What a bridge process needs to reach this host as `sns.<region>.amazonaws.com` (see sns-host-preload.mjs). */
  bridgeEnv: Record<string, string>;
  close(): Promise<void>;
}

const preload = fileURLToPath(new URL('./sns-host-preload.mjs', import.meta.url));

/**
 * Plays SNS's certificate host: an HTTPS server on 127.0.0.1 with a certificate for
 * `sns.us-east-1.amazonaws.com` issued by a CA made for this run (openssl), serving the signer's
 * SigningCertURL. Bridges started with {@link SnsHost.bridgeEnv} resolve that host name to it and
 * trust that CA, and nothing else changes: they verify SNS deliveries exactly as in production.
 */
export async function startSnsHost(): Promise<SnsHost> {
  const signer = await createSnsSigner();
  const host = new URL(signer.certificateUrl).hostname;
  const dir = mkdtempSync(join(tmpdir(), 'connect-chat-sns-'));
  try {
    const tls = issueCertificate(dir, host);
    const server = createServer(tls, (request, response) => {
      void signer.fetch(`https://${host}${request.url ?? '/'}`, { method: request.method ?? 'GET' }).then(async (answer) => {
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        response.end(Buffer.from(await answer.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      signer,
      bridgeEnv: {
        NODE_OPTIONS: `--import=${preload}`,
        RELIABILITY_SNS_HOST: host,
        RELIABILITY_SNS_ADDRESS: `127.0.0.1:${port}`,
        RELIABILITY_SNS_CA: join(dir, 'ca.pem'),
      },
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }).finally(() => rmSync(dir, { recursive: true, force: true })),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** A CA, and a certificate for `host` it issued (P-256 keys: quick to make). */
function issueCertificate(dir: string, host: string): { key: string; cert: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ecKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=connect-chat reliability run CA');
  openssl('req', '-new', ...ecKey, '-keyout', 'host.key', '-out', 'host.csr', '-subj', `/CN=${host}`);
  openssl(
    'x509',
    '-req',
    '-in',
    'host.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'host.pem',
    '-days',
    '1',
    '-extfile',
    writeSan(dir, host),
  );
  return { key: readFileSync(join(dir, 'host.key'), 'utf8'), cert: readFileSync(join(dir, 'host.pem'), 'utf8') };
}

function writeSan(dir: string, host: string): string {
  const file = join(dir, 'san.cnf');
  writeFileSync(file, `subjectAltName=DNS:${host}\n`);
  return file;
}
