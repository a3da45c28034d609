import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface SpawnedServer {
  baseUrl: string;
  close(): Promise<void>;
}

const listening = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/;
// Far above a cold start here (about 1 s); only there so a hung runtime is killed, not leaked.
const startTimeoutMs = 25_000;

/**
 * Starts a server process that prints `listening on http://127.0.0.1:<port>` once it accepts
 * connections, and resolves then: no sleeps, and an early exit rejects with the process's stderr.
 */
export async function spawnServer(command: string, args: string[], env: Record<string, string>): Promise<SpawnedServer> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const timer = setTimeout(() => child.kill('SIGKILL'), startTimeoutMs);
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const match = listening.exec(line.trim());
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`${command} exited with ${code} before listening:\n${stderr}`)));
    child.once('error', reject);
  }).finally(() => clearTimeout(timer));
  return {
    baseUrl,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
