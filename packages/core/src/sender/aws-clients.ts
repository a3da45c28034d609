import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { invalidOption } from '../options/toolkit.ts';
import type { AwsKeys } from './types.ts';

/** What an AWS SDK client of ours is built from. */
interface AwsClientOptions {
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

/**
 * Sockets per client on Node: well above what pacing lets run at once. The SDK's default (50) queues
 * the rest inside the agent, where their attempt timeout runs out while the requests ahead are still
 * on the wire — and an attempt cut on the wire is one Connect may have accepted.
 */
const maxSockets = 256;

/** The configuration of a client the sender retries for: one attempt per call. Build it with {@link createSdkClient}. */
export function sdkClientConfig(options: AwsClientOptions): Record<string, unknown> {
  const { region, credentials, endpoint } = options;
  return {
    maxAttempts: 1,
    // The middleware stack is resolved once per command class instead of on every call (about 70 µs
    // of CPU per call on Node 20); createSdkClient keeps each call abortable.
    cacheMiddleware: true,
    // Node's handler reads the agents' options; the fetch handler of other runtimes ignores them.
    requestHandler: { httpAgent: { keepAlive: true, maxSockets }, httpsAgent: { keepAlive: true, maxSockets } },
    ...(region !== undefined ? { region } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
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

/** Any AWS SDK client, as the transports call it: `send(command, { abortSignal })`. */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** What {@link createSdkClient} needs of an AWS SDK v3 client built with {@link sdkClientConfig}. */
interface SmithyClient {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
  config: { requestHandler: { handle(request: unknown, options: { abortSignal?: AbortSignal }): Promise<unknown> } } & Record<string, unknown>;
  send(command: unknown): Promise<unknown>;
}

/** A middleware that adds nothing to the call: `next` itself, so not even a stack frame. */
const passThrough = (next: unknown) => next;

/**
 * Middlewares of the SDK's client stack that do nothing a client core builds needs, each replaced by
 * {@link passThrough} in its own slot (the signing middleware is placed relative to the retry one, so
 * the slot stays; an override in another step or priority throws, loudly, at construction):
 * - `retryMiddleware`: the sender owns retries, timeouts and pacing (`maxAttempts: 1`), yet the SDK's
 *   takes a retry token, makes a v4 UUID for `amz-sdk-invocation-id` and writes `amz-sdk-request` on
 *   every call. Clock-skew correction is not its work: the signer samples the answer's `Date` (and
 *   an error's `ServerTime`) itself, retry or not.
 * - `loggerMiddleware`: these clients are given no logger, so it only adds an `await` per call.
 */
const idleMiddleware = [
  ['retryMiddleware', { step: 'finalizeRequest', priority: 'high' }],
  ['loggerMiddleware', { step: 'initialize', priority: 'normal' }],
] as const;

/**
 * Wraps a client built with {@link sdkClientConfig} (`cacheMiddleware: true`) so that each call stays
 * abortable and uses the cached stack: the SDK reuses its resolved middleware only for a `send(command)`
 * without options, so the call's signal travels beside it instead, keyed by the call's own copy of the
 * command's input, and the innermost middleware hands it to the request handler, as the SDK does with
 * `{ abortSignal }`. The attempt's timeout, its stall grace and the caller's signal stay the sender's.
 * It also takes the SDK's retry and logger middlewares out of the stack ({@link idleMiddleware}):
 * only ever wrap a client core built, never one a user passed in.
 */
export function createSdkClient<C extends object>(client: C): SdkClient {
  const smithy = client as unknown as SmithyClient;
  const signals = new WeakMap<object, AbortSignal>();
  smithy.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => (args: { input: object; request: unknown }) => {
      const signal = signals.get(args.input);
      return signal === undefined ? next(args) : smithy.config.requestHandler.handle(args.request, { abortSignal: signal });
    },
    // Innermost (after signing and the deserializer): what it hands the handler is the request as sent.
    { step: 'deserialize', priority: 'low', name: 'connectChatAbortSignal', override: true },
  );
  for (const [name, slot] of idleMiddleware) smithy.middlewareStack.add(passThrough, { ...slot, name, override: true });
  // The SDK's resolved configuration is in V8's dictionary mode (its `credentials` is an accessor), and
  // the serializer, the deserializer and the endpoint middleware each spread it into a new object on
  // every call: ~8 µs a spread on Node 20, against ~1 µs for a copy of its own values. The command
  // middlewares, resolved at the first send, get that copy; the client's own (signing and its clock-skew
  // offset, user agent, host header) keep the object they were built with. Same values, same handler.
  smithy.config = { ...smithy.config };
  return {
    send(command, options) {
      const signal = options?.abortSignal;
      if (signal !== undefined) {
        const call = command as { input: object };
        // The call's own key: the same input sent twice at once keeps each call's signal.
        call.input = { ...call.input };
        signals.set(call.input, signal);
      }
      return smithy.send(command);
    },
  };
}
