import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The Connect stand-in every contender sends to, in its own process (see servers/connect-stand-in.ts). */
export interface ConnectStandIn {
  readonly url: string;
  readonly pid: number;
  /** Events accepted since it started. */
  accepted(): Promise<number>;
  /** Connections opened to it since it started. */
  connections(): Promise<number>;
  close(): Promise<void>;
}

export async function startConnectStandIn(): Promise<ConnectStandIn> {
  const script = fileURLToPath(new URL('./servers/connect-stand-in.js', import.meta.url));
  const child = fork(script, [], { env: { PATH: process.env['PATH'] ?? '', PORT: '0' }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  const counts = async () => {
    const answer = once(child, 'message') as Promise<[{ accepted: number; connections: number }]>;
    child.send('counts');
    return (await answer)[0];
  };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    accepted: async () => (await counts()).accepted,
    connections: async () => (await counts()).connections,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}
