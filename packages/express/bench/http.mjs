// HTTP-level cost of the Express bridge against a bare Express route answering 200, measured in
// one run on 127.0.0.1 with autocannon (20 connections, 5 s each after a 1 s warm-up). Both servers
// receive the same signed Twilio form posts; the bridge verifies, routes, deduplicates and sends
// each to an in-memory Connect, so every request carries a message id it has not seen.
// Run after a build (the server imports ../dist through the package names).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import autocannon from 'autocannon';

const CONNECTIONS = 20;
const SECONDS = 5;
const POOL = 40_000;
const authToken = '7d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a';
// As behind a TLS-terminating proxy: the bridge verifies against its public URL (publicUrl), so one
// pool signed before the servers start serves both runs.
const publicUrl = 'https://bridge.example.com';
const server = new URL('./http-server.mjs', import.meta.url);

/** Signed requests, each with a message id of its own. */
async function signedPool() {
  const url = `${publicUrl}/webhooks/twilio`;
  const pool = [];
  for (let start = 0; start < POOL; start += 1_000) {
    const batch = Array.from({ length: 1_000 }, async () => {
      const request = await createTwilioRequest({
        url,
        authToken,
        params: twilioMessageParams({ from: '+14155550100', to: '+14155550199', body: 'Hi, I need help with my order #1234' }),
      });
      return { method: 'POST', path: '/webhooks/twilio', headers: Object.fromEntries(request.headers), body: await request.text() };
    });
    pool.push(...(await Promise.all(batch)));
  }
  return pool;
}

/** `wrap`: the bare route may see a request twice; the bridge must not (it would answer a duplicate early). */
function load(port, pool, cursor, duration, wrap) {
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        setupRequest(defaults) {
          const request = pool[wrap ? cursor.next++ % POOL : cursor.next++];
          if (request === undefined) throw new Error(`the pool of ${POOL} signed requests ran out; raise POOL`);
          return { ...defaults, ...request };
        },
      },
    ],
  });
}

async function measure(kind, pool) {
  const child = fork(server, [kind, authToken, publicUrl], { stdio: 'inherit' });
  try {
    const [{ port }] = await once(child, 'message');
    const cursor = { next: 0 };
    await load(port, pool, cursor, 1, kind === 'bare');
    const result = await load(port, pool, cursor, SECONDS, kind === 'bare');
    child.send('accepted');
    const [{ accepted }] = await once(child, 'message');
    if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) {
      throw new Error(`${kind}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
    }
    // Every 2xx from the bridge must be a message Connect received, not a duplicate answered early.
    if (kind === 'bridge' && accepted < cursor.next - CONNECTIONS)
      throw new Error(`${kind}: ${cursor.next} requests sent but only ${accepted} reached Connect`);
    return result;
  } finally {
    child.disconnect();
    if (child.exitCode === null) await once(child, 'exit');
  }
}

const pool = await signedPool();
const bare = await measure('bare', pool);
const bridge = await measure('bridge', pool);

const row = (name, result) => ({
  server: name,
  'req/s (mean)': Math.round(result.requests.average),
  'p50 ms': result.latency.p50,
  'p99 ms': result.latency.p99,
  'req/s ÷ baseline': (result.requests.average / bare.requests.average).toFixed(2),
  'p99 ÷ baseline': (result.latency.p99 / bare.latency.p99).toFixed(2),
});
console.log(`\nExpress 5 on 127.0.0.1, autocannon ${CONNECTIONS} connections, ${SECONDS} s each, signed Twilio form posts:`);
console.table([row('baseline: bare Express route answering 200', bare), row('webhooks(createConnectChat(…)), in-memory Connect', bridge)]);
