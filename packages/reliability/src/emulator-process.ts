import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChatRecord } from '@connect-chat/emulator';
import { whenThisProcessEnds } from './when-this-process-ends.ts';

/** The emulator as its own process, started from its CLI: what the run reads from it and how it ends. */
export interface EmulatorProcess {
  /** The URL it printed: the bridges' `AWS_ENDPOINT_URL_CONNECT` and `…_CONNECTPARTICIPANT`. */
  url: string;
  /** Every chat it keeps, with its transcript, newest first (`GET /_emulator/chats`). */
  chats(): Promise<ChatRecord[]>;
  /** Its peak resident memory so far, in KiB (`VmHWM` on Linux; undefined elsewhere). */
  peakMemoryKiB(): Promise<number | undefined>;
  /** The end of what it wrote to stderr (its log: one line per injected fault, errors). */
  stderr(): string;
  /** Stops it (SIGTERM; SIGKILL if it has not exited within 5 s) and resolves once it has exited. */
  stop(): Promise<void>;
}

/** How long the emulator may take to print its URL: a stuck start fails the run instead of hanging it. */
const startTimeoutMs = 30_000;
/** The stderr kept for a failure's message. */
const stderrTailChars = 20_000;

/**
 * The `connect-chat-emulator` binary as the emulator package declares it (`bin`), built into its
 * `dist`: the command a user runs, not its source.
 */
export function emulatorCli(): string {
  const manifestPath = createRequire(import.meta.url).resolve('@connect-chat/emulator/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = manifest.bin['connect-chat-emulator'];
  if (bin === undefined) throw new Error(`${manifestPath} declares no connect-chat-emulator binary`);
  return join(dirname(manifestPath), bin);
}

/**
 * Starts `connect-chat-emulator --port 0 <flags>` and resolves once it printed the URL it listens
 * on and answers `GET /_emulator/health`. It fails — with the process already ended — when the
 * process exits first or prints nothing within 30 s. Until it is stopped, it is also killed when
 * this process ends (exit, or SIGTERM as vitest ends a timed-out worker): no emulator outlives a run.
 */
export async function startEmulatorProcess(flags: readonly string[]): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [emulatorCli(), '--port', '0', '--host', '127.0.0.1', ...flags], {
    // Only what it needs: neither the test runner's NODE_OPTIONS nor a shell's AWS variables leak in.
    env: Object.fromEntries(['PATH', 'HOME', 'TMPDIR'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []))),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = whenThisProcessEnds(() => child.kill('SIGKILL'));
  let stderr = '';
  // Drained as it comes: a full pipe would block the emulator's writes, and with them its answers.
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-stderrTailChars);
  });
  const exited = once(child, 'close').then(forget);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await exited;
  };
  try {
    const url = await printedUrl(child, exited, () => stderr);
    await healthy(url);
    return {
      url,
      chats: async () => {
        const response = await fetch(`${url}/_emulator/chats`);
        if (!response.ok) throw new Error(`GET ${url}/_emulator/chats answered ${response.status}: ${await response.text()}`);
        return (await response.json()) as ChatRecord[];
      },
      peakMemoryKiB: async () => {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        return match ? Number(match[1]) : undefined;
      },
      stderr: () => stderr,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The URL from the CLI's first line, `Amazon Connect chat emulator listening on <url>`. */
function printedUrl(child: ChildProcess, exited: Promise<void>, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator printed no URL within ${startTimeoutMs / 1000} s; stderr: ${stderr()}`)), startTimeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve(url);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${child.exitCode ?? child.signalCode}) before printing its URL; stderr: ${stderr()}`));
    });
  });
}

/** Listening is printed once the socket is bound; the health route confirms requests are answered. */
async function healthy(url: string): Promise<void> {
  const response = await fetch(`${url}/_emulator/health`);
  if (!response.ok) throw new Error(`GET ${url}/_emulator/health answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}
