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
  // A port found free can be taken by another test's redis-server before ours binds it: then ours
  // exits, and that one answers. Only a server whose process id is our child's counts.
  for (let attempt = 1; ; attempt++) {
    const started = await startOn(await freePort());
    if (started !== undefined) return started;
    if (attempt === 5) throw new Error('redis-server did not start on any of 5 free ports');
  }
}

/** redis-server on `port`, or undefined when it could not take that port (another server answers there). */
export async function startOn(port: number): Promise<TestRedis | undefined> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  };
  // Ready when it answers with its own process id: ask until it does (bounded).
  const until = Date.now() + 10_000;
  for (;;) {
    const pid = await serverPid(port);
    if (pid === child.pid) return { url, stop };
    if (child.exitCode !== null || pid !== undefined) {
      await stop();
      return undefined;
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`redis-server on ${url} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The process id of the Redis answering on 127.0.0.1:`port` (`INFO server`), or undefined when none answers. */
function serverPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(500, () => socket.destroy());
    socket.on('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (/process_id:\d+\r\n/.test(answer)) socket.end();
    });
    socket.on('close', () => {
      const pid = /process_id:(\d+)\r\n/.exec(answer)?.[1];
      resolve(pid === undefined ? undefined : Number(pid));
    });
    socket.on('error', () => resolve(undefined));
  });
}
