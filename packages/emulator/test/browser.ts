import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What the browser tests run on: Debian's Chromium (never a downloaded browser). */
export interface BrowserLookup {
  /** The executable to launch, when one was found. */
  executablePath: string | undefined;
  /** Why the browser tests are skipped, when they are; in CI a missing browser is a failure instead. */
  skipReason: string | undefined;
}

const names = ['chromium', 'chromium-browser'];

/**
 * `CHROMIUM_PATH` if set, else `chromium` on `PATH`. Outside CI (`CI` unset) a machine without one
 * skips the browser tests and says how to enable them; in CI the tests run and fail to launch.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): BrowserLookup {
  const executablePath = env['CHROMIUM_PATH'] || onPath(env['PATH'] ?? '');
  if (executablePath !== undefined || isCi(env)) return { executablePath: executablePath ?? 'chromium', skipReason: undefined };
  return {
    executablePath: undefined,
    skipReason: 'browser tests skipped: no Chromium on PATH; install it (apt-get install chromium) or set CHROMIUM_PATH to run them (in CI they are required)',
  };
}

function onPath(path: string): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {}
    }
  }
  return undefined;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI']?.toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
