import type { AddressInfo } from 'node:net';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { type ConnectChat, ConnectChatError, type ConnectChatOptions, createConnectChat, type Logger, silentLogger } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import {
  connectRedis,
  createRedisAcceptanceQueue,
  createRedisIdempotencyStore,
  createRedisSessionStore,
  type Drain,
  type RedisConnection,
} from '@connect-chat/redis';
import { type BridgeConfig, connectChatOptionsFromEnv } from './config/index.ts';
import { createJsonLogger } from './json-logger.ts';
import { messageLogHooks } from './message-log.ts';
import { portInUse } from './startup-errors.ts';

/** The embedded emulator checks SigV4 signatures with these, as Connect checks real ones. */
const embeddedCredentials = { accessKeyId: 'AKIDEMBEDDEDEMULATOR', secretAccessKey: 'embedded-emulator-secret' };

/** What a sample bridge needs before it mounts its framework adapter. */
export interface PreparedBridge {
  /** For `createConnectChat`: providers, route, sender, idempotency and the per-message log. */
  options: ConnectChatOptions;
  /** The bridge built from `options`, checked before anything listens. */
  chat: ConnectChat;
  config: BridgeConfig;
  /** Set when the bridge runs on the embedded emulator (`CONNECT_EMULATOR=embedded`). */
  emulator: RunningEmulator | undefined;
  logger: Logger;
  /** Logs where everything is, once the server listens. */
  announce(address: AddressInfo | string | null): void;
  close(): Promise<void>;
}

/**
 * Reads the configuration contract from `env`; with `CONNECT_EMULATOR=embedded` starts the
 * embedded emulator, otherwise resolves AWS credentials once through the SDK's default chain, so a
 * bridge never serves without them. Every problem throws `INVALID_OPTIONS` whose message is the one
 * line to print: the variable, what is wrong, what to do. `logger` defaults to JSON lines on stdout
 * at `LOG_LEVEL`.
 */
export async function prepareBridge(env: NodeJS.ProcessEnv = process.env, logger: Logger = createJsonLogger(env['LOG_LEVEL'])): Promise<PreparedBridge> {
  logProcessWarnings(logger);
  const logBodies = readBoolean(env, 'LOG_MESSAGE_BODIES');
  let config = connectChatOptionsFromEnv(env);
  if (config.enabled.length === 0) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      'no provider is enabled: set at least one of TWILIO_AUTH_TOKEN, WHATSAPP_APP_SECRET with WHATSAPP_VERIFY_TOKEN, SNS_TOPIC_ARNS or STANDARD_WEBHOOK_SECRET',
    );
  }
  const durable = readAcceptMode(env);
  const shared = await connectSharedStores(env['REDIS_URL'], config.connect.transport === 'participant');
  let emulator: RunningEmulator | undefined;
  if (config.needsEmulator) {
    emulator = await startEmbeddedEmulator(env, config, logger).catch(async (error: unknown) => {
      await shared?.redis.close();
      throw error;
    });
    // The embedded emulator stands in for Connect, and trusts the simulator's SNS certificate.
    config = connectChatOptionsFromEnv(
      {
        ...env,
        AWS_ENDPOINT_URL_CONNECT: emulator.url,
        AWS_ENDPOINT_URL_CONNECTPARTICIPANT: emulator.url,
        AWS_ACCESS_KEY_ID: embeddedCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: embeddedCredentials.secretAccessKey,
        // The emulator plays every customer's phone too.
        TWILIO_API_URL: emulator.url,
        WHATSAPP_API_URL: emulator.url,
        AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2: emulator.url,
        ...(env['STANDARD_WEBHOOK_SECRET'] ? { GENERIC_OUTBOUND_URL: `${emulator.url}/_emulator/generic/outbound` } : {}),
      },
      {
        sns: { resolveCertificate: emulator.snsCertificateResolver },
        replies: { resolveCertificate: emulator.snsCertificateResolver },
        ...(shared ? { sessions: shared.sessions } : {}),
      },
    );
  } else {
    // The chain that passed the check is the one that signs: rotation by the chain keeps working.
    const credentials = await resolveCredentials().catch(async (error: unknown) => {
      await shared?.redis.close();
      throw error;
    });
    config = connectChatOptionsFromEnv(env, { credentials, ...(shared ? { sessions: shared.sessions } : {}) });
  }
  const running = emulator;
  const queue = durable && shared ? createRedisAcceptanceQueue({ redis: shared.redis }) : undefined;
  const options: ConnectChatOptions = {
    ...config.options,
    ...(shared ? { idempotency: shared.idempotency } : {}),
    ...(queue ? { acceptance: queue } : {}),
    logger,
    hooks: messageLogHooks(logger, logBodies),
  };
  const chat = createConnectChat(options);
  const drain: Drain | undefined = queue?.drain({ sender: chat.sender, ...(shared ? { store: shared.idempotency } : {}), logger });
  return {
    options,
    chat,
    config,
    emulator,
    logger,
    announce(address) {
      const url = typeof address === 'object' && address ? `http://${hostFor(address)}:${address.port}` : String(address);
      const replies = config.options.replies;
      const repliesPath = chat.paths.find((path) => chat.match(path)?.provider.name === 'connect');
      // As an operator subscribes the bridge to the streaming topic in SNS.
      if (running && replies && repliesPath) running.subscribe({ topicArn: replies.topicArns[0]!, endpoint: `${url}${repliesPath}` });
      if (running) {
        logger.info('CONNECT_EMULATOR=embedded: using the embedded Connect emulator, nothing reaches Amazon Connect', {
          transport: config.connect.transport,
          ...(config.connect.client ? { client: config.connect.client } : {}),
          emulatorUrl: running.url,
          emulatorPage: `${running.url}/?bridge=${encodeURIComponent(url)}`,
        });
      } else {
        const { transport, client, region, endpoint, participantEndpoint } = config.connect;
        const endpoints =
          transport === 'participant'
            ? { endpoint: endpoint ?? 'default', participantEndpoint: participantEndpoint ?? 'default' }
            : { endpoint: endpoint ?? 'default' };
        logger.info('sending to Amazon Connect', { transport, ...(client ? { client } : {}), region, ...endpoints });
      }
      for (const { provider, reason } of config.disabled) logger.warn(`${provider} route disabled: ${reason}`, { provider });
      // The chat's own paths, in route order (its basePath, not a copy of it).
      const routes = Object.fromEntries(chat.paths.map((path) => [chat.match(path)!.provider.name, `${url}${path}`]));
      if (shared) logger.info('idempotency and sessions shared on Redis', { redis: shared.where, acceptMode: drain ? 'durable' : 'connect' });
      logger.info('bridge listening', { bridgeUrl: url, routes, health: `${url}/healthz` });
    },
    close: async () => {
      // The drain's batches in progress finish and its partitions pass to another instance.
      await drain?.stop();
      // Sends that outlived their webhook settle their claims first: closing Redis under them
      // would leave claims in flight, and the providers' retries would send those messages again.
      await chat.settled();
      await running?.close();
      await shared?.redis.close();
    },
  };
}

/**
 * `ACCEPT_MODE`: `connect` (2xx once Connect accepted the message) or `durable` (2xx once it is
 * written to a Redis stream, which needs `REDIS_URL`).
 */
function readAcceptMode(env: NodeJS.ProcessEnv): boolean {
  const mode = env['ACCEPT_MODE'] || 'connect';
  if (mode !== 'connect' && mode !== 'durable') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `ACCEPT_MODE: expected "connect" (2xx once Connect accepted a message) or "durable" (2xx once written to Redis), got "${mode.slice(0, 40)}"`,
    );
  }
  if (mode === 'durable' && !env['REDIS_URL']) {
    throw new ConnectChatError('INVALID_OPTIONS', 'ACCEPT_MODE: "durable" keeps accepted messages on Redis; set REDIS_URL too');
  }
  return mode === 'durable';
}

/** With `REDIS_URL`, the idempotency and session stores every instance of the bridge shares. */
async function connectSharedStores(url: string | undefined, clientTokens: boolean) {
  if (url === undefined || url.trim() === '') return undefined;
  let where: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('not redis:');
    where = `${parsed.protocol}//${parsed.host}`; // never the password
  } catch {
    throw new ConnectChatError('INVALID_OPTIONS', 'REDIS_URL: expected redis://[user:password@]host:port[/db] or rediss://…');
  }
  let redis: RedisConnection;
  try {
    redis = await connectRedis({ url });
  } catch (cause) {
    const reason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 120);
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `REDIS_URL: cannot reach Redis at ${where} (${reason}); start it, or unset REDIS_URL for in-memory stores (one instance)`,
      { cause },
    );
  }
  // A claim is renewed while its instance sends, up to just above the longest a send lasts (10 s
  // deadline + an attempt in flight: 5 s with ClientTokens, 20 s without). A crashed instance's
  // claims lapse a lease after its last renewal, and a retry waiting on another instance sends then:
  // 5 s where ClientTokens make a send that outlived its lease harmless, 8 s without them.
  const inFlightTtlMs = clientTokens ? 20_000 : 60_000;
  const claimLeaseMs = clientTokens ? 5_000 : 8_000;
  return { redis, where, idempotency: createRedisIdempotencyStore({ redis, inFlightTtlMs, claimLeaseMs }), sessions: createRedisSessionStore({ redis }) };
}

async function startEmbeddedEmulator(env: NodeJS.ProcessEnv, config: BridgeConfig, logger: Logger): Promise<RunningEmulator> {
  try {
    return await startEmulator({
      port: config.listen.emulatorPort,
      credentials: [embeddedCredentials],
      simulator: { secrets: simulatorSecrets(env), paths: routePaths(config) },
      phone: phoneCredentials(env),
      logger,
    });
  } catch (error) {
    throw portInUse('EMULATOR_PORT', '127.0.0.1', config.listen.emulatorPort, error) ?? error;
  }
}

/**
 * The SDK's default chain (memoized: it refreshes expiring credentials), resolved once before the
 * bridge listens: no credentials, no bridge.
 */
async function resolveCredentials(): Promise<ReturnType<typeof defaultProvider>> {
  const credentials = defaultProvider();
  try {
    await credentials();
  } catch (cause) {
    const sdkReason = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 90);
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `no AWS credentials found (${sdkReason}): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run with a container or instance role; for the local demo set CONNECT_EMULATOR=embedded`,
      { cause },
    );
  }
  return credentials;
}

/**
 * Node's process warnings (the AWS SDK's Node-version notice among them) as JSON log lines, instead
 * of multi-line text on stderr that would bury a start-up error.
 */
function logProcessWarnings(logger: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn(warning.message.split('\n')[0] ?? warning.name, { warning: warning.name }));
}

/** `true`/`false` (also `1`/`0`), case-insensitive; unset is false; anything else stops the bridge. */
function readBoolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new ConnectChatError('INVALID_OPTIONS', `${name}: expected true or false, got "${value.slice(0, 20)}"`);
}

/** Each provider's path as the chat will mount it, for the simulator to post to. */
/** Where each customer provider's route is, for the simulator (the reply route is SNS's, not a customer's). */
function routePaths(config: BridgeConfig): Record<string, string> {
  const chat = createConnectChat({ ...config.options, logger: silentLogger });
  return Object.fromEntries(chat.paths.map((path) => [chat.match(path)!.provider.name, path]).filter(([name]) => name !== 'connect'));
}

function hostFor(address: AddressInfo): string {
  if (address.address === '::' || address.address === '0.0.0.0') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** The channel credentials the emulated phone APIs check, as the real ones would. */
function phoneCredentials(env: NodeJS.ProcessEnv): { twilio?: { accountSid: string; authToken: string }; whatsapp?: { accessToken: string } } {
  const accountSid = env['TWILIO_ACCOUNT_SID'];
  const authToken = env['TWILIO_AUTH_TOKEN']?.split(',')[0];
  const accessToken = env['WHATSAPP_ACCESS_TOKEN'];
  return {
    ...(accountSid && authToken ? { twilio: { accountSid, authToken } } : {}),
    ...(accessToken ? { whatsapp: { accessToken } } : {}),
  };
}

function simulatorSecrets(env: NodeJS.ProcessEnv): Record<string, string> {
  const pairs: Array<[string, string | undefined]> = [
    ['twilioAuthToken', env['TWILIO_AUTH_TOKEN']?.split(',')[0]],
    ['whatsappAppSecret', env['WHATSAPP_APP_SECRET']?.split(',')[0]],
    ['snsTopicArn', env['SNS_TOPIC_ARNS']?.split(',')[0]],
    ['standardWebhookSecret', env['STANDARD_WEBHOOK_SECRET']?.split(',')[0]],
  ];
  return Object.fromEntries(pairs.filter((pair): pair is [string, string] => Boolean(pair[1])));
}
