import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, type AgentOptions, createServer, get } from 'node:https';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import {
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioProvider,
  type Provider,
  type ProviderContext,
  type ReceivedRequest,
  silentLogger,
} from '@connect-chat/core';
import { createSnsSigner, createStandardWebhookRequest, generateStandardWebhookSecret } from '@connect-chat/core/testing';
import MessageValidator from 'sns-validator';
import { Webhook } from 'standardwebhooks';
import twilio from 'twilio';
import { authToken, businessNumber, customerNumber, messageText, publicUrl, webhookPath } from '../fixture.ts';
import { compareOps, type OpsContender, type OpsResult } from '../lib/ops.ts';
import { type Spread, pairedRatio, showRatio, showSpread } from '../lib/stats.ts';
import { markdownTable, printSection } from '../lib/table.ts';
import { TwilioPool } from '../lib/twilio-pool.ts';

export interface VerificationOptions {
  rounds: number;
  milliseconds: number;
}

export interface VerificationRow {
  provider: string;
  core: string;
  library: string;
  coreOpsPerSecond: Spread;
  libraryOpsPerSecond: Spread;
  /** core ops/s ÷ library ops/s, per round. */
  ratio: Spread;
  coreOpsPerCpuSecond: Spread;
  libraryOpsPerCpuSecond: Spread;
  /** core ÷ library in operations per CPU second, per round: steadier than wall time on a loaded machine. */
  cpuRatio: Spread;
}

/** Distinct signed requests per provider, taken in turn (no verifier sees only one input). */
const distinctRequests = 512;
const context: ProviderContext = { logger: silentLogger, fetch: globalThis.fetch };
const encoder = new TextEncoder();

function received(url: string, headers: Record<string, string>, text: string): ReceivedRequest {
  return { method: 'POST', url: new URL(url), headers: new Headers(headers), body: encoder.encode(text), text };
}

/** The same request with one byte of its body changed. */
function tamper(request: ReceivedRequest): ReceivedRequest {
  const text = tamperText(request.text);
  return { ...request, body: encoder.encode(text), text };
}

function coreVerifier(name: string, provider: Provider, requests: readonly ReceivedRequest[]): OpsContender {
  return {
    name,
    run: (index) => provider.verify(requests[index % requests.length]!, context),
    tampered: () => provider.verify(tamper(requests[0]!), context),
  };
}

/** `text` with its first digit changed. */
function tamperText(text: string): string {
  return text.replace(/\d/, (digit) => String((Number(digit) + 1) % 10));
}

async function twilioRows(options: VerificationOptions): Promise<VerificationRow[]> {
  const pool = new TwilioPool();
  await pool.ensure(distinctRequests);
  const url = publicUrl + webhookPath;
  const requests = pool.items.map((webhook) =>
    received(url, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': webhook.signature }, webhook.body),
  );
  const parsed = pool.items.map((webhook) => Object.fromEntries(new URLSearchParams(webhook.body)));
  const check = (valid: boolean) => {
    if (!valid) throw new Error('twilio.validateRequest refused the signature');
  };
  const tampered = () => {
    const webhook = pool.items[0]!;
    check(twilio.validateRequest(authToken, webhook.signature, url, Object.fromEntries(new URLSearchParams(tamperText(webhook.body)))));
  };
  const library: OpsContender = {
    name: 'twilio validateRequest, body parsed with URLSearchParams',
    run(index) {
      const webhook = pool.items[index % pool.items.length]!;
      check(twilio.validateRequest(authToken, webhook.signature, url, Object.fromEntries(new URLSearchParams(webhook.body))));
    },
    tampered,
  };
  const libraryParsed: OpsContender = {
    name: 'twilio validateRequest, params parsed beforehand',
    run(index) {
      const i = index % pool.items.length;
      check(twilio.validateRequest(authToken, pool.items[i]!.signature, url, parsed[i]!));
    },
    tampered,
  };
  const core = coreVerifier('createTwilioProvider().verify, from the raw body', createTwilioProvider({ authToken, publicUrl }), requests);
  const results = await compareOps([library, libraryParsed, core], options.rounds, options.milliseconds);
  return [library, libraryParsed].map((lib) => row('Twilio', core.name, lib.name, results.get(core.name)!, results.get(lib.name)!));
}

async function standardWebhookRows(options: VerificationOptions): Promise<VerificationRow[]> {
  const secret = generateStandardWebhookSecret();
  const url = 'https://bridge.example.com/webhooks/generic';
  const inputs = await Promise.all(
    Array.from({ length: distinctRequests }, async (_, n) => {
      const payload = { version: 1, type: 'message', from: customerNumber(n), to: businessNumber, text: messageText, displayName: 'Dana Scully' };
      const request = await createStandardWebhookRequest({ url, secret, payload });
      const headers = Object.fromEntries(request.headers);
      return { headers, text: await request.text() };
    }),
  );
  const requests = inputs.map((input) => received(url, input.headers, input.text));
  const webhook = new Webhook(secret);
  const library: OpsContender = {
    name: 'standardwebhooks Webhook.verify (returns the parsed JSON)',
    run(index) {
      const input = inputs[index % inputs.length]!;
      webhook.verify(input.text, input.headers);
    },
    tampered: () => webhook.verify(tamperText(inputs[0]!.text), inputs[0]!.headers),
  };
  const core = coreVerifier('createStandardWebhooksProvider().verify', createStandardWebhooksProvider({ secret }), requests);
  const results = await compareOps([library, core], options.rounds, options.milliseconds);
  return [row('Standard Webhooks', core.name, library.name, results.get(core.name)!, results.get(library.name)!)];
}

/**
 * A local HTTPS server in place of sns.<region>.amazonaws.com, serving the signer's certificate at
 * its SigningCertURL: sns-validator fetches it with https.get (redirected here by the global
 * agent), core through `resolveCertificate` with the same agent. Both fetch it once and cache it.
 */
async function localCertificateHost(path: string, pem: string, host: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sns-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
    let fetched = 0;
    const server = createServer(tls, (req, res) => {
      fetched += 1;
      if (req.url !== path) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(pem);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    class LocalAgent extends Agent {
      // Every connection goes to the local server, whatever the URL's host; TLS still checks the name.
      override createConnection(options: AgentOptions & { servername?: string }, callback?: (error: Error | null, socket: Socket) => void) {
        return tlsConnect({ host: '127.0.0.1', port, servername: options.servername ?? host, ca: tls.cert }, callback as () => void);
      }
    }
    const agent = new LocalAgent({ keepAlive: false });
    return { agent, fetched: () => fetched, close: () => server.close() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function snsRows(options: VerificationOptions): Promise<VerificationRow[]> {
  // SignatureVersion 1 (SHA1withRSA) is what SNS uses unless a topic is set to 2.
  const signer = await createSnsSigner({ signatureVersion: '1' });
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:inbound-sms';
  const certificateUrl = new URL(signer.certificateUrl);
  const host = await localCertificateHost(certificateUrl.pathname, signer.certificatePem, certificateUrl.hostname);
  const defaultAgent = https.globalAgent;
  https.globalAgent = host.agent;
  try {
    const url = 'https://bridge.example.com/webhooks/sns';
    const inputs = await Promise.all(
      Array.from({ length: distinctRequests }, async (_, n) => {
        const envelope = await signer.notification({
          topicArn,
          message: signer.endUserMessagingSms({ from: customerNumber(n), to: businessNumber, text: messageText }),
        });
        const request = signer.request(envelope, { url });
        return { headers: Object.fromEntries(request.headers), text: await request.text() };
      }),
    );
    const requests = inputs.map((input) => received(url, input.headers, input.text));
    const validator = new MessageValidator();
    const validate = (text: string) => new Promise<void>((resolve, reject) => validator.validate(text, (error) => (error ? reject(error) : resolve())));
    const library: OpsContender = {
      name: 'sns-validator validate (certificate cached after the first fetch)',
      run: (index) => validate(inputs[index % inputs.length]!.text),
      tampered: () => validate(tamperText(inputs[0]!.text)),
    };
    const resolveCertificate = (certificate: URL) =>
      new Promise<string>((resolve, reject) => {
        get(certificate, { agent: host.agent }, (res) => {
          let pem = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            pem += chunk;
          });
          res.on('end', () => (res.statusCode === 200 ? resolve(pem) : reject(new Error(`certificate: HTTP ${res.statusCode}`))));
        }).on('error', reject);
      });
    const core = coreVerifier(
      'createSnsProvider({ resolveCertificate }).verify (certificate cached)',
      createSnsProvider({ topicArns: [topicArn], resolveCertificate }),
      requests,
    );
    const results = await compareOps([library, core], options.rounds, options.milliseconds);
    if (host.fetched() < 2) throw new Error(`the local certificate host served ${host.fetched()} fetches; both verifiers should have fetched it`);
    return [row('Amazon SNS (SignatureVersion 1)', core.name, library.name, results.get(core.name)!, results.get(library.name)!)];
  } finally {
    https.globalAgent = defaultAgent;
    host.close();
  }
}

function row(provider: string, core: string, library: string, coreOps: OpsResult, libraryOps: OpsResult): VerificationRow {
  return {
    provider,
    core,
    library,
    coreOpsPerSecond: coreOps.perSecond,
    libraryOpsPerSecond: libraryOps.perSecond,
    ratio: pairedRatio(coreOps.perSecond.values, libraryOps.perSecond.values),
    coreOpsPerCpuSecond: coreOps.perCpuSecond,
    libraryOpsPerCpuSecond: libraryOps.perCpuSecond,
    cpuRatio: pairedRatio(coreOps.perCpuSecond.values, libraryOps.perCpuSecond.values),
  };
}

/** Signature verification only: each provider's `verify` against the library most people use for it. */
export async function runVerification(options: VerificationOptions): Promise<VerificationRow[]> {
  return [...(await twilioRows(options)), ...(await standardWebhookRows(options)), ...(await snsRows(options))];
}

export function printVerification(rows: readonly VerificationRow[], options: VerificationOptions): void {
  printSection(
    'Signature verification, core vs the most-used library',
    [
      `Sequential calls in this process over ${distinctRequests} distinct signed requests per provider, made with @connect-chat/core/testing; every verifier first refuses a tampered one. ${options.rounds} rounds × ${options.milliseconds} ms per verifier after a warm-up, alternating. ops/s: median (min–max) of wall-clock rates; ratios per round, core ÷ library (above 1: core is faster), by wall clock and by operations per CPU second (this process, all threads), which a loaded machine disturbs less.`,
    ],
    [
      markdownTable(
        ['provider: library', 'library ops/s', 'core ops/s', 'core ÷ library', 'core ÷ library, per CPU s'],
        rows.map((r) => [
          `${r.provider}: ${r.library}`,
          showSpread(r.libraryOpsPerSecond),
          showSpread(r.coreOpsPerSecond),
          showRatio(r.ratio),
          showRatio(r.cpuRatio),
        ]),
      ),
    ],
  );
}
