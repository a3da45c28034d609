import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';

/** A throwaway redis-server on 127.0.0.1: nothing saved, nothing shared with other runs. */
export interface TestRedis {
  url: string;
  /** Stops the server (a lost connection, as far as clients can tell). */
  stop(): Promise<void>;
}

/** Why Redis tests cannot run here, or undefined. In CI they must run: `.ci/run` installs redis-server. */
export function redisSkipReason(): string | undefined {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (found.status === 0) return undefined;
  if (process.env['CI'] === 'true') throw new Error('redis-server is required in CI (apt-get install -y redis-server)');
  return 'redis-server is not installed (apt-get install -y redis-server); the Redis store tests are skipped';
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  // Ready when it answers PING: ask until it does (bounded).
  const until = Date.now() + 10_000;
  while (!(await pong(port))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`redis-server on ${url} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** True when a Redis on 127.0.0.1:`port` answers PING. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) socket.end();
    });
    socket.on('close', () => resolve(answer.startsWith('+PONG')));
    socket.on('error', () => resolve(false));
  });
}
