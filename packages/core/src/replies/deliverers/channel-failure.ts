import { ConnectChatError } from '../../errors/connect-chat-error.ts';

/** A channel's answer as the one error model says it: retryable (503) or refused for good. */
export function channelFailure(channel: string, retryable: boolean, detail: string, cause?: unknown): ConnectChatError {
  return new ConnectChatError(retryable ? 'CHANNEL_UNAVAILABLE' : 'CHANNEL_REFUSED', `${channel}: ${detail}`, cause === undefined ? {} : { cause });
}

/**
 * POSTs to a channel's API; a network failure or timeout is retryable. Redirects are not followed:
 * a channel API that redirects is misconfigured.
 */
export async function postToChannel(channel: string, url: string, init: RequestInit & { fetch: typeof fetch; signal: AbortSignal }): Promise<Response> {
  const { fetch: send, ...request } = init;
  try {
    return await send(url, { ...request, method: 'POST', redirect: 'manual' });
  } catch (error) {
    const why = init.signal.aborted ? 'no answer in time' : `the request failed (${error instanceof Error ? error.message : String(error)})`;
    throw channelFailure(channel, true, why, error);
  }
}

/** The JSON body of an error answer, when it has one (never more than 64 KiB read). */
export async function errorBody(response: Response): Promise<Record<string, unknown>> {
  try {
    const text = (await response.text()).slice(0, 65_536);
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Where a channel's API lives: the real one, or `*_API_URL` (an emulator, a test double). */
export function apiBase(value: string | undefined, fallback: string, option: string): string {
  const base = value ?? fallback;
  let url: URL | undefined;
  try {
    url = new URL(base);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConnectChatError('INVALID_OPTIONS', `${option}: expected an http(s) URL such as ${fallback}, got ${JSON.stringify(base)}`);
  }
  return base.replace(/\/+$/, '');
}

/** A required, non-empty string option; a secret's value is never echoed. */
export function requiredString(value: unknown, option: string, secret = false): string {
  if (typeof value === 'string' && value !== '') return value;
  const shown = secret ? (typeof value === 'string' ? 'an empty string' : typeof value) : (JSON.stringify(value) ?? 'nothing');
  throw new ConnectChatError('INVALID_OPTIONS', `${option}: expected a non-empty string, got ${shown}`);
}
