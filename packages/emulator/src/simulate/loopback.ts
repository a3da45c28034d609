import { ConnectChatError } from '@connect-chat/core';
import { describe } from '../invalid-option.ts';

/** WHATWG URL parsing already turns `127.1`, `0x7f000001` and friends into dotted quads. */
const ipv4Loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Whether a parsed URL's host is this machine's loopback interface (127.0.0.0/8, localhost, [::1]). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || ipv4Loopback.test(hostname);
}

/**
 * Parses a bridge base URL and refuses anything the simulator must not deliver to: it signs
 * webhooks with real secrets, so it only ever talks to bridges on this machine.
 */
export function parseBridgeUrl(value: unknown, path: string): URL {
  const expected = 'an http(s) base URL of a bridge on this machine (127.0.0.0/8, localhost or [::1]), e.g. http://127.0.0.1:3000';
  if (typeof value !== 'string') throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${describe(value)}`);
  if (!value.includes('://')) {
    throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${describe(value)} (no http:// in front)`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${describe(value)}`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got the scheme ${url.protocol}`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `${path}: expected ${expected}, got the host ${url.hostname}; the simulator signs webhooks with your secrets and delivers them only to local bridges`,
    );
  }
  if (url.username !== '' || url.password !== '') throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got a URL with credentials`);
  if (url.search !== '' || url.hash !== '') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `${path}: expected a base URL without query or fragment (routes are <bridgeUrl>/webhooks/<provider>), got ${describe(value)}`,
    );
  }
  return url;
}

/**
 * The provider's route on the bridge: `path` (the chat's own, e.g. `chat.paths`) or, by default,
 * `/webhooks/<provider>`, under any path prefix the bridge is mounted at.
 */
export function webhookUrl(bridgeUrl: URL, provider: string, path = `/webhooks/${provider}`): string {
  return `${bridgeUrl.origin}${bridgeUrl.pathname.replace(/\/+$/, '')}${path}`;
}

/** A route path for the simulator: absolute, without query, fragment or `..`. */
export function isRoutePath(value: unknown): value is string {
  return typeof value === 'string' && /^\/[A-Za-z0-9._~!$&'()*+,;=:@/-]*$/.test(value) && !value.split('/').includes('..');
}
