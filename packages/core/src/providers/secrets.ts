import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { describeValue } from '../options/toolkit.ts';
import type { HeaderLookup } from '../wire/types.ts';
import type { SecretSource } from './types.ts';

/** What a secret function receives: the request's URL and headers, and the adapter's bindings. */
export interface SecretRequest {
  headers: HeaderLookup;
  url: URL;
  env?: Readonly<Record<string, unknown>>;
}

/** Resolves a {@link SecretSource} for one request to a non-empty list of valid secrets. */
export type SecretResolver = (request: SecretRequest) => Promise<readonly string[]>;

/** Says what is wrong with one secret (`undefined` when it is fine); never repeats the secret. */
export type SecretCheck = (secret: string) => string | undefined;

/**
 * Validates a secret source now (static secrets) and returns a resolver that validates what a
 * secret function returns on every call, so a misconfigured secret is a clear configuration
 * error instead of every webhook failing as "bad signature".
 *
 * @example
 * const tokens = createSecretResolver(options.authToken, 'authToken');
 * const list = await tokens({ headers: request.headers, url: request.url }); // ['primary', 'secondary']
 */
export function createSecretResolver(source: SecretSource, optionPath: string, check?: SecretCheck): SecretResolver {
  if (typeof source === 'function') {
    return async (request) => {
      let resolved: unknown;
      try {
        resolved = await source(request);
      } catch (error) {
        // A vault or secret manager that is down now may answer the provider's retry.
        throw new ConnectChatError('VERIFICATION_UNAVAILABLE', `${optionPath}: the secret function threw; retry later`, { cause: error });
      }
      return checkSecrets(resolved, `${optionPath} (returned by the function)`, check);
    };
  }
  const secrets = checkSecrets(source, optionPath, check);
  return async () => secrets;
}

function checkSecrets(value: unknown, optionPath: string, check: SecretCheck | undefined): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `${optionPath}: expected a non-empty string, a non-empty array of strings or a function returning them, got ${describeValue(value, { secret: true })}`,
    );
  }
  if (list.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `${optionPath}: expected at least one secret, got an empty array`);
  }
  return Object.freeze(
    list.map((secret: unknown, index) => {
      const path = typeof value === 'string' ? optionPath : `${optionPath}[${index}]`;
      if (typeof secret !== 'string' || secret.length === 0) {
        throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected a non-empty string, got ${describeValue(secret, { secret: true })}`);
      }
      const problem = check?.(secret);
      if (problem !== undefined) throw new ConnectChatError('INVALID_OPTIONS', `${path}: ${problem}`);
      return secret;
    }),
  );
}

/**
 * A provider's name from its options: lowercase, usable in a route path and in idempotency keys.
 *
 * @example
 * const name = checkProviderName(options.name, 'twilio');
 */
export function checkProviderName(name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (!isProviderName(name)) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `name: expected a lowercase name such as "${fallback}" (a-z, 0-9, - and _, at most 64), got ${typeof name === 'string' ? JSON.stringify(name) : describeValue(name)}`,
    );
  }
  return name;
}

/**
 * The one rule for a provider's name, which becomes a route path segment and part of idempotency
 * keys: lowercase letters, digits, `-` and `_`, at most 64.
 *
 * @example
 * isProviderName('twilio-eu'); // true
 */
export function isProviderName(name: unknown): name is string {
  return typeof name === 'string' && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(name);
}
