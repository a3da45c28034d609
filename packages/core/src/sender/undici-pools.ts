import * as undici from 'undici';
import { concatBytes } from '../wire/bytes.ts';
import type { StopSignal } from './deadlines.ts';

// Node and Deno only: imported by the Node variants of `#signed-post` and `#sdk-runtime` (Bun, Workers
// and browsers resolve those names to their fetch variants).

/** Connections per origin, as the agents had before: well above what pacing lets run at once. */
const connections = 256;

/** Origins one sender talks to: one or two (Connect, the participant service); a flood only starts over. */
const maxOrigins = 8;

/** Keep-alive connection pools, one per origin, and a way to close them all. */
export interface Pools {
  poolFor(origin: string): undici.Pool;
  /** Closes every pool once the requests under way have ended. */
  close(): void;
}

/**
 * Connection pools on undici, the HTTP client Node's own `fetch` is built on: its `request()` costs
 * about 45 µs less CPU per call than `node:http`'s on Node 20. Like `node:http`, undici never retries
 * a POST by itself. (Bun answers the name `undici` with a stub whose `Pool` sends nothing: the package's
 * `bun` condition keeps this module out of it.)
 *
 * @example
 * const answer = await createPools().poolFor('https://connect.us-east-1.amazonaws.com').request({ method: 'POST', path, headers, body });
 */
export function createPools(): Pools {
  const pools = new Map<string, undici.Pool>();
  const close = () => {
    for (const pool of pools.values()) pool.close().catch(() => {});
    pools.clear();
  };
  return {
    poolFor(origin) {
      let pool = pools.get(origin);
      if (pool === undefined) {
        if (pools.size >= maxOrigins) close();
        pool = new undici.Pool(origin, { connections });
        pools.set(origin, pool);
      }
      return pool;
    },
    close,
  };
}

/** An answer as {@link collectAnswer} read it. */
export interface CollectedAnswer {
  status: number;
  /** Lower-case names; a repeated header's values as an array. */
  headers: Record<string, string | string[] | undefined>;
  /** Undefined when the answer was longer than the limit (it was not read to its end). */
  body: Uint8Array | undefined;
}

/**
 * One request on undici's handler API: the answer's bytes are collected as they come, up to
 * `limit` (past it, or past a declared length over it, the connection is dropped and `body` is
 * undefined), without the response stream `request()` builds (~6 µs a call on Node 20). `signal`
 * stops it wherever it is, queued, on the wire or reading the answer.
 *
 * @example
 * const answer = await collectAnswer(pools.poolFor(origin), { method: 'POST', path, headers, body }, signal, 65_536);
 */
export function collectAnswer(
  pool: undici.Dispatcher,
  request: undici.Dispatcher.DispatchOptions,
  signal: StopSignal | undefined,
  limit: number,
): Promise<CollectedAnswer> {
  return new Promise((resolve, reject) => {
    let controller: undici.Dispatcher.DispatchController | undefined;
    const onStop = () => controller?.abort(signal?.reason as Error);
    signal?.addEventListener('abort', onStop);
    let answer: { status: number; headers: Record<string, string | string[] | undefined> } | undefined;
    const chunks: Buffer[] = [];
    let length = 0;
    const settle = (body: Uint8Array | undefined) => {
      signal?.removeEventListener('abort', onStop);
      resolve({ status: answer?.status ?? 0, headers: answer?.headers ?? {}, body });
    };
    const tooLong = (from: undici.Dispatcher.DispatchController) => {
      settle(undefined);
      from.abort(new Error(`the answer is longer than ${limit} bytes`));
    };
    pool.dispatch(request, {
      onRequestStart(from) {
        controller = from;
        if (signal?.aborted) from.abort(signal.reason as Error);
      },
      onResponseStart(from, status, headers) {
        answer = { status, headers };
        if (Number(headers['content-length'] ?? Number.NaN) > limit) tooLong(from);
      },
      onResponseData(from, chunk) {
        length += chunk.byteLength;
        if (length > limit) tooLong(from);
        else chunks.push(chunk);
      },
      onResponseEnd() {
        // A copy: undici's chunks are views of the socket's reads.
        settle(concatBytes(chunks, length));
      },
      onResponseError(_from, error) {
        signal?.removeEventListener('abort', onStop);
        // After an answer that was too long, the abort that dropped its connection: already settled.
        reject(error);
      },
    });
  });
}
