import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a server is started: `node <script> [args]` from `cwd`, as its users start it. */
export interface ServerCommand {
  script: string;
  args?: readonly string[];
  cwd: string;
  /** Set on top of the common environment (e.g. `CONNECT_CLIENT: 'fetch'`). */
  env?: Readonly<Record<string, string>>;
  /** Node's own options, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
}

export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  readonly child: ChildProcess;
  /** What the process wrote on stderr, for the error message when it fails. */
  stderr(): string;
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/**
 * Spawns a server process. Its stdout (the bridges' JSON log lines) goes to /dev/null: the write
 * is part of the server's cost, a log collector's is not. stderr is kept for error messages.
 */
export function spawnServer(command: ServerCommand, env: Readonly<Record<string, string>>): ServerProcess & { exited: Promise<number | null> } {
  const child = spawn(process.execPath, [...(command.nodeArgs ?? []), command.script, ...(command.args ?? [])], {
    cwd: command.cwd,
    env: { ...env, ...command.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error(`could not start ${command.script}`);
  return {
    pid: child.pid,
    port: Number(env['PORT']),
    child,
    exited,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Resolves once `port` accepts a TCP connection; rejects when the process exits or `timeoutMs` passes. */
export async function waitForPort(server: ServerProcess & { exited: Promise<number | null> }, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => {
    exited = true;
  });
  while (performance.now() < deadline) {
    if (exited) throw new Error(`server exited before listening on ${server.port}:\n${server.stderr()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(server.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(20);
  }
  throw new Error(`server did not listen on ${server.port} within ${timeoutMs} ms:\n${server.stderr()}`);
}
