import { getSchemaSerdePlugin } from '@smithy/core/schema';
import { createSdkRequestHandler, signSdkRequest } from '#sdk-runtime';
import { type AwsClientOptions, processEnv } from './aws-clients.ts';
import { type StopSignal, toAbortSignal } from './deadlines.ts';
import { type SdkProtocol, useDirectIntegrationEventSerde } from './sdk-integration-event-serde.ts';
import type { SdkHttpRequest, SdkSigningArguments } from './sdk-runtime-types.ts';
import type { AwsKeys } from './types.ts';

/**
 * Sockets per client where the SDK's own Node handler runs (Bun): well above what pacing lets run at once.
 * The SDK's default (50) queues the rest inside the agent, where their attempt timeout runs out while
 * the requests ahead are still on the wire — and an attempt cut on the wire is one Connect may have
 * accepted. undici's pools have as many (undici-pools.ts).
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
    // undici's pools on Node and Deno; elsewhere the SDK's handler: its Node one reads the agents'
    // options (Bun), its fetch one (Workers, browsers) ignores them.
    requestHandler: createSdkRequestHandler() ?? { httpAgent: { keepAlive: true, maxSockets }, httpsAgent: { keepAlive: true, maxSockets } },
    ...(region !== undefined ? { region } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  };
}

/** Any AWS SDK client, as the transports call it: `send(command, { abortSignal })`. */
export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** A client core built ({@link createSdkClient}): its calls stop on any {@link StopSignal}. */
export interface CoreSdkClient {
  send(command: unknown, options?: { abortSignal?: StopSignal }): Promise<unknown>;
}

/** What {@link createSdkClient} needs of an AWS SDK v3 client built with {@link sdkClientConfig}. */
interface SmithyClient {
  middlewareStack: {
    add(middleware: unknown, options: Record<string, unknown>): void;
    use(plugin: unknown): void;
    /** Hands each entry (its middleware and its options) to `add` or `addRelativeTo` of `to`. */
    applyToStack(to: { add(middleware: unknown, options: { name?: string }): void; addRelativeTo(): void }): void;
  };
  config: SmithyConfig;
  send(command: unknown): Promise<unknown>;
}

/** The resolved client configuration, as far as it is read or replaced here. */
type SmithyConfig = Record<string, unknown> & {
  requestHandler: { handle(request: unknown, options: { abortSignal?: StopSignal }): Promise<unknown>; takesStopSignal?: boolean };
  /** The SDK's credential provider, resolved and memoized by the client (it refreshes expiring keys). */
  credentials: () => Promise<AwsKeys>;
  region: () => Promise<string>;
  /** A signing name the user set (none on the clients core builds), else the service's own. */
  signingName?: string;
  defaultSigningName?: string;
  /** The SigV4 scheme's signer: a request signer per call (the SDK's builds a new one each time). */
  signer: (authScheme?: unknown) => Promise<{ sign(request: SdkHttpRequest, options?: SdkSigningArguments): Promise<SdkHttpRequest> }>;
};

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
 * - `recursionDetectionMiddleware`, off AWS Lambda only: it copies a Lambda invocation's X-Ray trace
 *   id and trace context (the runtime's invoke store) into each call. Outside Lambda there is none to
 *   copy, yet it reads two environment variables and awaits the invoke store on every call (about
 *   9 µs on Node 20). The Lambda runtime sets `AWS_LAMBDA_FUNCTION_NAME` for the life of the process:
 *   where it is set, the middleware stays.
 */
function idleMiddleware(): ReadonlyArray<readonly [string, { step: string; priority: string }]> {
  const idle = [
    ['retryMiddleware', { step: 'finalizeRequest', priority: 'high' }],
    ['loggerMiddleware', { step: 'initialize', priority: 'normal' }],
  ] as const;
  const onLambda = processEnv()?.['AWS_LAMBDA_FUNCTION_NAME'] !== undefined;
  return onLambda ? idle : [...idle, ['recursionDetectionMiddleware', { step: 'build', priority: 'low' }]];
}

/**
 * Wraps a client built with {@link sdkClientConfig} (`cacheMiddleware: true`) so that each call stays
 * abortable and uses the cached stack: the SDK reuses its resolved middleware only for a `send(command)`
 * without options, so the call's signal travels beside it instead, keyed by the call's own copy of the
 * command's input, and the innermost middleware hands it to the request handler, as the SDK does with
 * `{ abortSignal }`. The attempt's timeout, its stall grace and the caller's signal stay the sender's.
 * It also takes the SDK's retry and logger middlewares (and off Lambda its recursion detection) out of the stack ({@link idleMiddleware}),
 * writes the user agent the SDK wrote before for the same inputs ({@link useKnownUserAgent}), signs
 * with a signer that keeps its keys ({@link useFastSigner}), writes and reads `SendChatIntegrationEvent`
 * directly ({@link useDirectIntegrationEventSerde}) and gives the serde middlewares a copy of the
 * configuration that is cheap to spread ({@link useFastSerde}): only ever wrap a client core built,
 * never one a user passed in.
 *
 * @example
 * const client = createSdkClient(new ConnectClient(sdkClientConfig({ region: 'us-east-1' })));
 * await client.send(new SendChatIntegrationEventCommand(event), { abortSignal });
 */
export function createSdkClient<C extends object>(client: C): CoreSdkClient {
  const smithy = client as unknown as SmithyClient;
  const signals = new WeakMap<object, StopSignal>();
  smithy.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => (args: { input: object; request: unknown }) => {
      const signal = signals.get(args.input);
      if (signal === undefined) return next(args);
      const handler = smithy.config.requestHandler;
      // undici's handler takes the sender's light stop; the SDK's own (fetch in Workers) an AbortSignal.
      return handler.handle(args.request, { abortSignal: handler.takesStopSignal === true ? signal : toAbortSignal(signal) });
    },
    // Innermost (after signing and the deserializer): what it hands the handler is the request as sent.
    { step: 'deserialize', priority: 'low', name: 'connectChatAbortSignal', override: true },
  );
  for (const [name, slot] of idleMiddleware()) smithy.middlewareStack.add(passThrough, { ...slot, name, override: true });
  useKnownUserAgent(smithy);
  useFastSigner(smithy.config);
  useDirectIntegrationEventSerde(smithy.config['protocol'] as SdkProtocol);
  useFastSerde(smithy);
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

/**
 * The keys the SDK's middlewares put on a call's context before it serializes and deserializes. The
 * serde middlewares merge the configuration and the context into a new object (`{ ...config,
 * ...context }`) on every call; on Node 20 each key the context adds to a copy of a 45-key object
 * costs about 2 µs (V8 derives a new shape per key), a key already there almost nothing.
 */
const contextKeys = {
  clientName: undefined,
  commandName: undefined,
  inputFilterSensitiveLog: undefined,
  outputFilterSensitiveLog: undefined,
  __smithy_context: undefined,
  endpointV2: undefined,
  authSchemes: undefined,
  __aws_sdk_context: undefined,
};

/**
 * Gives the serialize and deserialize middlewares, and the command's endpoint middleware, a plain
 * copy of the resolved configuration instead of the client's own: V8 keeps that one in dictionary mode
 * (its `credentials` is an accessor), and each of them spreads it on every call (about 10 µs a spread
 * on Node 20, against well under 1 µs for the copy, which already holds the context's keys). The SDK
 * added its serde middlewares at construction with the client's object; they are added again, in
 * their own slots (`override`), with the copy. The client's other middlewares (signing and its
 * clock-skew offset, user agent, host header) keep the object they were built with. Same values.
 */
function useFastSerde(smithy: SmithyClient): void {
  // One object literal: a copy extended key by key afterwards is as slow to spread as before.
  const config = { ...smithy.config, ...contextKeys };
  smithy.config = config;
  smithy.middlewareStack.use(getSchemaSerdePlugin(config as never));
}

/**
 * Signs with {@link signSdkRequest} where core runs on Node, Bun and Deno (on the SDK's
 * clock-skew-corrected date, with the client's own credential provider); any request it does not
 * sign, and every request in Workers and browsers, goes to the SDK's signer as before.
 */
function useFastSigner(config: SmithyConfig): void {
  const sign = signSdkRequest;
  if (sign === undefined) return;
  const sdkSigner = config.signer;
  config.signer = async (authScheme) => ({
    async sign(request, options = {}) {
      // Region and service as the SDK's signer settles them: the endpoint's auth scheme, else the client's.
      const scheme = authScheme as { signingRegion?: string; signingName?: string } | undefined;
      const signing = {
        signingDate: options.signingDate,
        signingRegion: options.signingRegion ?? scheme?.signingRegion ?? (await config.region()),
        signingService: options.signingService ?? config.signingName ?? scheme?.signingName ?? config.defaultSigningName,
      };
      if (await sign(request, signing, await config.credentials())) return request;
      return (await sdkSigner(authScheme)).sign(request, options);
    },
  });
}

/** A middleware as the SDK's stack holds it: built once per command class, then called per call. */
type Middleware = (next: Handler, context: UserAgentContext) => Handler;
type Handler = (args: { request?: unknown }) => Promise<unknown>;

/** What the SDK's user-agent middleware reads of a call's context. */
interface UserAgentContext {
  userAgent?: unknown;
  endpointV2?: { url?: { hostname?: string } };
  __smithy_context?: { features?: unknown; selectedHttpAuthScheme?: { identity?: { $source?: unknown; accountId?: unknown } } };
  __aws_sdk_context?: { features?: unknown };
}

/** The headers the SDK's user-agent middleware writes. */
const userAgentHeaders = ['user-agent', 'x-amz-user-agent'] as const;
const userAgentSlot = { step: 'build', priority: 'low', name: 'getUserAgentMiddleware', override: true };

/**
 * Writes the user-agent headers the SDK's own middleware wrote for the same inputs, instead of
 * building them again on every call (escaping a dozen name/version pairs, three awaits: about 25 µs of
 * CPU per call on Node 20). The inputs are what that middleware reads of a call: the context's user
 * agent, feature flags, endpoint host and the keys' source, and the request's protocol and user-agent
 * headers; the rest (the client's configuration) is fixed for the client. A call with inputs not seen
 * yet runs the SDK's middleware, which stays in charge of what the headers say. Same headers.
 */
function useKnownUserAgent(smithy: SmithyClient): void {
  const build = middlewareNamed(smithy, userAgentSlot.name);
  if (build === undefined) return;
  // A few entries at most (one per command class and source of keys); a client that sees more starts over.
  const known = new Map<string, Array<string | undefined>>();
  const knownUserAgent: Middleware = (next, context) => {
    const inputsOf = new WeakMap<object, string>();
    const viaSdk = build((args) => {
      const headers = headersOf(args.request);
      const inputs = headers && inputsOf.get(headers);
      if (headers && inputs !== undefined) {
        if (known.size >= 16) known.clear();
        known.set(
          inputs,
          userAgentHeaders.map((name) => headers[name]),
        );
      }
      return next(args);
    }, context);
    return (args) => {
      const headers = headersOf(args.request);
      if (headers === undefined) return viaSdk(args);
      const inputs = userAgentInputs(context, headers);
      const values = known.get(inputs);
      if (values === undefined) {
        inputsOf.set(headers, inputs);
        return viaSdk(args);
      }
      userAgentHeaders.forEach((name, index) => {
        const value = values[index];
        if (value === undefined) delete headers[name];
        else headers[name] = value;
      });
      return next(args);
    };
  };
  smithy.middlewareStack.add(knownUserAgent, userAgentSlot);
}

/** The middleware the client's stack holds under `name` (an absolute entry), if any. */
function middlewareNamed(smithy: SmithyClient, name: string): Middleware | undefined {
  let found: Middleware | undefined;
  smithy.middlewareStack.applyToStack({
    add: (middleware, options) => {
      if (options.name === name) found = middleware as Middleware;
    },
    addRelativeTo: () => {},
  });
  return found;
}

function headersOf(request: unknown): Record<string, string | undefined> | undefined {
  const headers = (request as { headers?: unknown } | undefined)?.headers;
  return typeof headers === 'object' && headers !== null ? (headers as Record<string, string | undefined>) : undefined;
}

function userAgentInputs(context: UserAgentContext, headers: Record<string, string | undefined>): string {
  const identity = context.__smithy_context?.selectedHttpAuthScheme?.identity;
  return JSON.stringify([
    context.userAgent,
    context.__smithy_context?.features,
    context.__aws_sdk_context?.features,
    identity?.$source,
    Boolean(identity?.accountId),
    context.endpointV2?.url?.hostname,
    headers['smithy-protocol'],
    ...userAgentHeaders.map((name) => headers[name]),
  ]);
}
