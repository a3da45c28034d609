import type { IncomingMessage } from 'node:http';
import { isLoopbackHost } from '../simulate/loopback.ts';

/** Why a state-changing control request is refused, as `[status, code, message]`, or undefined. */
export type ControlRefusal = [number, string, string];

/**
 * The rule for the emulator's state-changing routes (`/_emulator/faults`, `/_emulator/reset`,
 * `/_emulator/simulate`): a JSON body, and, when the browser names an `Origin`, a loopback one.
 * A web page elsewhere can send a no-cors `text/plain` POST without asking; a cross-origin JSON
 * POST needs a preflight, which the emulator never grants.
 */
export function refuseCrossSite(req: IncomingMessage): ControlRefusal | undefined {
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') return [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send this request as application/json.'];
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return [403, 'FORBIDDEN', 'Only pages served from this machine (localhost, 127.0.0.1, [::1]) may change the emulator.'];
  }
  return undefined;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false; // `Origin: null` (sandboxed frames, file: pages) included
  }
}
