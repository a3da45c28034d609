import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium } from './browser.ts';

describe('findChromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'browser-'));
  const fake = join(dir, 'chromium');
  writeFileSync(fake, '#!/bin/sh\n');
  chmodSync(fake, 0o755);
  const empty = mkdtempSync(join(tmpdir(), 'no-browser-'));

  it('uses CHROMIUM_PATH, else chromium on PATH', () => {
    expect(findChromium({ CHROMIUM_PATH: '/opt/chromium/chrome', PATH: dir })).toEqual({ executablePath: '/opt/chromium/chrome', skipReason: undefined });
    expect(findChromium({ PATH: `${empty}:${dir}` })).toEqual({ executablePath: fake, skipReason: undefined });
  });

  it('outside CI, skips with a reason that says how to enable the tests', () => {
    const { executablePath, skipReason } = findChromium({ PATH: empty });
    expect(executablePath).toBeUndefined();
    expect(skipReason).toContain('CHROMIUM_PATH');
    expect(skipReason).toContain('apt-get install chromium');
  });

  it('in CI, never skips: a missing browser fails the launch', () => {
    expect(findChromium({ PATH: empty, CI: 'true' }).skipReason).toBeUndefined();
    expect(findChromium({ PATH: empty, CI: '1' }).skipReason).toBeUndefined();
    expect(findChromium({ PATH: empty, CI: 'false' }).skipReason).toBeDefined();
  });
});
