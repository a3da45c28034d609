import { hmac } from '../hmac.ts';
import { toBase64 } from '../encoding.ts';

/** Form parameters as Twilio signs them: every received name with all of its values. */
export type TwilioParams = ReadonlyMap<string, readonly string[]>;

/**
 * The string Twilio signs: the URL, then for each parameter name in sorted order the name
 * followed by one value, once per distinct value in sorted order (Twilio's own validator
 * de-duplicates repeated values the same way).
 */
export function twilioSignedData(url: string, params: TwilioParams | undefined): string {
  let data = url;
  if (params === undefined) return data;
  for (const name of [...params.keys()].sort()) {
    const values = params.get(name)!;
    // Nearly every parameter has one value: no set or sort to build for it.
    if (values.length === 1) data += name + values[0];
    else for (const value of [...new Set(values)].sort()) data += name + value;
  }
  return data;
}

/**
 * The URL with the scheme's default port and without any port: Twilio signs whichever form the
 * webhook was configured with, and its own validator accepts both. The form the URL was given in
 * comes first, as the one most likely signed.
 */
export function twilioUrlVariants(url: string): string[] {
  const parsed = new URL(url);
  if (parsed.port !== '') {
    const withoutPort = new URL(url);
    withoutPort.port = '';
    return [parsed.href, withoutPort.href];
  }
  // WHATWG URL drops a default port, so the string is assembled by hand, as Twilio's validator does.
  const defaultPort = parsed.protocol === 'https:' ? '443' : '80';
  const credentials = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  return [parsed.href, `${parsed.protocol}//${credentials}${parsed.host}:${defaultPort}${parsed.pathname}${parsed.search}${parsed.hash}`];
}

/** Base64 HMAC-SHA1 of the signed data: the value of `X-Twilio-Signature`. */
export async function computeTwilioSignature(authToken: string, url: string, params: TwilioParams | undefined): Promise<string> {
  return toBase64(await hmac('SHA-1', authToken, twilioSignedData(url, params)));
}

/** Parameters of an `application/x-www-form-urlencoded` body, repeated names kept. */
export function formParams(body: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) {
    const values = params.get(name);
    if (values === undefined) params.set(name, [value]);
    else values.push(value);
  }
  return params;
}
