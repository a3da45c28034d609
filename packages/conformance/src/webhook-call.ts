import type { ConformanceTarget } from './types.ts';

/** One HTTP request a provider would make to the bridge, replayable (duplicates, retries). */
export interface WebhookCall {
  method: string;
  /** Path and query, e.g. `/webhooks/twilio`. */
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer>;
}

/** What the bridge answered, read in full. */
export interface WebhookReply {
  status: number;
  headers: Headers;
  body: string;
}

/**
 * Captures a signed `Request` built for `${baseUrl}${path}` as a call that can be sent again.
 *
 * @example
 * const call = await toCall(await createTwilioRequest({ url, authToken, params }));
 */
export async function toCall(request: Request): Promise<WebhookCall> {
  const url = new URL(request.url);
  const body = request.body === null ? undefined : new Uint8Array(await request.arrayBuffer());
  return { method: request.method, path: `${url.pathname}${url.search}`, headers: Object.fromEntries(request.headers), ...(body && { body }) };
}

/**
 * Sends a call to the target the way the provider would.
 *
 * @example
 * const reply = await deliver(target, call);
 */
export async function deliver(target: ConformanceTarget, call: WebhookCall): Promise<WebhookReply> {
  const send = target.fetch ?? globalThis.fetch;
  const response = await send(`${target.baseUrl}${call.path}`, {
    method: call.method,
    headers: call.headers,
    ...(call.body && { body: call.body }),
    redirect: 'manual',
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}
