import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** How to start a bridge as its users do: a command in a folder, configured by environment. */
export interface BridgeCommand {
  command: string;
  args: string[];
  cwd: string;
}

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A bridge process, its parsed JSON log lines, and the URLs it announced. */
export interface RunningBridge {
  bridgeUrl: string;
  emulatorUrl: string;
  lines: LogLine[];
  /** Resolves with the first log line (seen so far or later) that matches. */
  waitForLine(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** Stops it as a deploy does (SIGTERM) and resolves with its exit code. */
  stop(): Promise<number | null>;
  /** What it wrote to stderr so far: a crash's stack, a warning. */
  stderr(): string;
  /** Kills it at once (SIGKILL), as a crash or an out-of-memory kill would. */
  kill(): Promise<void>;
  /** Its peak resident memory so far, in KiB (`VmHWM` on Linux; undefined elsewhere). */
  peakMemoryKiB(): Promise<number | undefined>;
}

/** The demo configuration every smoke test runs with: made-up secrets, the embedded emulator. */
export const smokeEnv = {
  CONNECT_EMULATOR: 'embedded',
  CONNECT_DESTINATION_ID: 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-smoke',
  TWILIO_AUTH_TOKEN: 'smoke-twilio-auth-token',
  WHATSAPP_APP_SECRET: 'smoke-whatsapp-app-secret',
  WHATSAPP_VERIFY_TOKEN: 'smoke-verify-token',
  SNS_TOPIC_ARNS: 'arn:aws:sns:us-east-1:111122223333:connect-chat-smoke',
  STANDARD_WEBHOOK_SECRET: `whsec_${Buffer.from('smoke-secret-for-the-bridge-tests').toString('base64')}`,
  CONNECT_RATE_LIMIT: 'off',
  CONNECT_STREAMING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:connect-chat-smoke-stream',
  TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
  WHATSAPP_ACCESS_TOKEN: 'smoke-whatsapp-access-token',
  SMS_OUTBOUND: 'end-user-messaging',
  PORT: '0',
  EMULATOR_PORT: '0',
} as const;

/** Only what a process needs to run: no AWS variables leak in from the developer's shell. */
function baseEnv(): Record<string, string> {
  // Deliberately without AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: on Node 20 the SDK's notice
  // must become a log line, never text on stderr next to a start-up error.
  const keep = ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT'];
  return Object.fromEntries(keep.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])));
}

/** Starts the bridge and waits for its "bridge listening" line. */
export async function startBridge(command: BridgeCommand, env: Record<string, string> = smokeEnv): Promise<RunningBridge> {
  const child = spawn(command.command, command.args, { cwd: command.cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.match(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  // 'close', not 'exit': the lines it wrote just before exiting are read too.
  const exited = once(child, 'close').then(([code]) => code as number | null);
  const waitForLine = (match: (line: LogLine) => boolean) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      waiters.push({ match, resolve });
      void exited.then((code) => reject(new Error(`bridge exited (${code}) before the expected log line; stderr: ${stderr}`)));
    });
  };
  const listening = await waitForLine((line) => line.msg === 'bridge listening');
  const emulatorLine = lines.find((line) => typeof line['emulatorUrl'] === 'string');
  return {
    bridgeUrl: String(listening['bridgeUrl']),
    emulatorUrl: String(emulatorLine?.['emulatorUrl'] ?? ''),
    lines,
    waitForLine,
    stop: () => stopProcess(child, exited),
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    peakMemoryKiB: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match ? Number(match[1]) : undefined;
    },
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<number | null>): Promise<number | null> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  return exited;
}

/** Runs a bridge command to its end, for configurations it must refuse. */
export async function runToExit(command: BridgeCommand, env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(command.command, command.args, { cwd: command.cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const [code] = await once(child, 'close');
  return { code: code as number | null, stderr, stdout };
}
