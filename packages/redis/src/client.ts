import { createClient } from '@redis/client';

/**
 * What the stores and the acceptance queue need of a Redis client: node-redis's `eval`, `get` and
 * `sendCommand`. Pass the
 * client your application already has, or make one with {@link connectRedis}.
 */
export interface RedisCommands {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null | unknown>;
  /** A raw command (the acceptance queue's stream commands). */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A client from {@link connectRedis}: the stores' commands, and closing.
 *
 * @example
 * const redis: RedisConnection = await connectRedis({ url });
 * process.on('SIGTERM', () => void redis.close());
 */
export interface RedisConnection extends RedisCommands {
  /** Waits for commands in flight, then disconnects. */
  close(): Promise<unknown>;
  /** Disconnects at once. */
  destroy(): void;
}

/**
 * Options of {@link connectRedis}.
 *
 * @example
 * const redis = await connectRedis({ url: process.env.REDIS_URL!, commandTimeoutMs: 500 });
 */
export interface ConnectRedisOptions {
  /** `redis://[user:password@]host:port[/db]`, `rediss://…` for TLS. */
  url: string;
  /** A command without an answer in this time fails (the webhook answers 503). Default 1,000 ms. */
  commandTimeoutMs?: number;
}

/**
 * Connects a node-redis client made for webhooks: commands fail at once while the connection is
 * down (no offline queue that would hold a webhook past its provider's timeout) and after
 * `commandTimeoutMs`; it reconnects in the background. Resolves once connected; rejects, with the
 * client closed, when Redis cannot be reached.
 *
 * @example
 * const redis = await connectRedis({ url: 'redis://127.0.0.1:6379' });
 * const idempotency = createRedisIdempotencyStore({ redis });
 */
export async function connectRedis(options: ConnectRedisOptions): Promise<RedisConnection> {
  let connected = false;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    commandOptions: { timeout: options.commandTimeoutMs ?? 1_000 },
    socket: {
      connectTimeout: 2_000,
      // The first connection fails the start at once; a later drop is retried in the background.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2_000) : cause),
    },
  });
  client.on('ready', () => {
    connected = true;
  });
  // A dropped connection is reported per command (503); the client reconnects by itself.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.destroy();
    throw error;
  }
  return client as unknown as RedisConnection;
}
