// Heap held by the in-memory idempotency store at its default 10,000-entry bound, against a plain
// Map of 10,000 keys of the same shape: the store must hold its bound however many messages pass.
// Run with `node --expose-gc bench/memory.mjs` after a build (it imports ../dist).
import { createMemoryIdempotencyStore } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('memory.mjs needs --expose-gc: node --expose-gc bench/memory.mjs');
  process.exit(2);
}

const BOUND = 10_000;
const REPEATS = 5;
// Flat strings (join, not concatenation) so both sides hold keys of the same representation.
const sid = (n) => ['twilio:SM', n.toString(16).padStart(32, '0')].join('');

function heapUsed() {
  // Twice: a first collection can leave finalised objects for the next one.
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Median heap growth, in bytes, per `build()` result. Every result stays alive until all are
 * measured: a released one can linger in a stale register of this async frame and hide the
 * next one's growth.
 */
async function retained(build) {
  const alive = [];
  const deltas = [];
  let before = heapUsed();
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    alive.push(await build());
    const after = heapUsed();
    deltas.push(after - before);
    before = after;
  }
  if (alive.length !== REPEATS) throw new Error('a measured structure was lost');
  deltas.sort((a, b) => a - b);
  return deltas[Math.floor(REPEATS / 2)];
}

function plainMap() {
  const map = new Map();
  for (let n = 0; n < BOUND; n++) map.set(sid(n), true);
  return map;
}

async function storeAfter(messages) {
  const store = createMemoryIdempotencyStore();
  for (let n = 0; n < messages; n++) {
    if ((await store.claim(sid(n), 'bench')) !== 'claimed') throw new Error(`message ${n} was not claimed`);
    await store.complete(sid(n));
  }
  // The bound evicts the oldest completed messages and keeps the newest.
  if ((await store.claim(sid(messages - 1), 'bench')) !== 'completed') throw new Error('the newest message was forgotten');
  if (messages > BOUND && (await store.claim(sid(0), 'bench')) !== 'claimed') throw new Error('the oldest message outlived the bound');
  return store;
}

const map = await retained(plainMap);
const at10k = await retained(() => storeAfter(BOUND));
const at100k = await retained(() => storeAfter(10 * BOUND));
const at200k = await retained(() => storeAfter(20 * BOUND));

const kib = (bytes) => (bytes / 1024).toFixed(0);
const row = (structure, bytes) => ({ structure, 'heap KiB': kib(bytes), 'ratio to baseline': (bytes / map).toFixed(2) });
console.log('\nHeap retained after GC (median of 5), createMemoryIdempotencyStore() at its default 10,000-entry bound:');
console.table([
  row('baseline: Map of the same 10,000 message-id keys', map),
  row('store after 10,000 claims + completes', at10k),
  row('store after 100,000 claims + completes', at100k),
  row('store after 200,000 claims + completes', at200k),
]);
// Past the bound the heap plateaus (the Map's table settles at its steady-state capacity): twice
// the messages must not mean more memory. An unbounded store would double here.
const growth = at200k / at100k;
console.log(`200,000 vs 100,000 messages: ${growth.toFixed(2)}x the heap (1.00 = the bound holds)`);
if (growth > 1.1) {
  console.error('FAIL: the store grew with the number of messages; its bound does not hold');
  process.exit(1);
}
