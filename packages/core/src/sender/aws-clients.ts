import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { invalidOption } from '../options/toolkit.ts';
import type { AwsKeys } from './types.ts';

/** What an AWS SDK client of ours is built from. */
export interface AwsClientOptions {
  region?: string | undefined;
  credentials?: AwsKeys | (() => Promise<AwsKeys>) | undefined;
  endpoint?: string | undefined;
}

/**
 * Checks `region`, `credentials` and any `*endpoint` option; throws INVALID_OPTIONS naming the
 * option, and never echoes a secret.
 */
export function checkAwsClientOptions<T extends AwsClientOptions>(options: T): T {
  const { region, credentials } = options;
  if (region !== undefined && (typeof region !== 'string' || !/^[a-z0-9-]{1,50}$/.test(region))) {
    invalidOption('region', 'an AWS Region such as us-east-1', region);
  }
  if (credentials !== undefined && typeof credentials !== 'function') checkKeys(credentials);
  for (const [key, value] of Object.entries(options)) {
    if (/endpoint$/i.test(key) && value !== undefined) checkUrl(value, key);
  }
  return options;
}

function checkKeys(credentials: AwsKeys): void {
  if (typeof credentials !== 'object' || credentials === null)
    invalidOption('credentials', 'an object { accessKeyId, secretAccessKey, sessionToken? } or a function returning one', credentials);
  if (typeof credentials.accessKeyId !== 'string' || credentials.accessKeyId === '')
    invalidOption('credentials.accessKeyId', 'a non-empty string', credentials.accessKeyId);
  // Never echo a secret, not even a wrong one.
  if (typeof credentials.secretAccessKey !== 'string' || credentials.secretAccessKey === '') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `credentials.secretAccessKey: expected a non-empty string, got ${credentials.secretAccessKey === '' ? 'an empty string' : typeof credentials.secretAccessKey}`,
    );
  }
  if (credentials.sessionToken !== undefined && typeof credentials.sessionToken !== 'string') {
    throw new ConnectChatError('INVALID_OPTIONS', `credentials.sessionToken: expected a string, got ${typeof credentials.sessionToken}`);
  }
}

/** A client passed in is configured by its owner: the options that would build one must be absent. */
export function checkGivenClient(options: object, clientKey: string, clientClass: string, buildKeys: readonly string[]): void {
  const given = options as Record<string, unknown>;
  const client = given[clientKey] as { send?: unknown } | null | undefined;
  if (typeof client !== 'object' || client === null || typeof client.send !== 'function') {
    invalidOption(clientKey, `a ${clientClass} (an object with a send(command) method)`, client);
  }
  for (const key of buildKeys) {
    if (given[key] !== undefined) {
      throw new ConnectChatError('INVALID_OPTIONS', `${key}: configure the ${clientClass} you pass as ${clientKey} instead; got both ${clientKey} and ${key}`);
    }
  }
}

/**
 * The SDK's endpoint variable, read wherever a process environment exists: Bun and Deno load the
 * SDK's Node build, which reads it itself; the browser build (workerd, bundlers) does not.
 */
export function environmentEndpoint(variable: string): string | undefined {
  const env = processEnv();
  const value = env?.[variable];
  if (value === undefined || value === '' || env?.['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] === 'true') return undefined;
  checkUrl(value, variable);
  return value;
}

/** The process environment where there is one (Node, Bun, Deno); undefined on workerd and in browsers. */
export function processEnv(): Record<string, string | undefined> | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
}

function checkUrl(value: unknown, path: string): void {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) invalidOption(path, 'an http(s) URL such as http://127.0.0.1:4050', value);
}
