import type { AddressInfo } from 'node:net';
import { type BridgeConfig, type ConnectChatOptions, connectChatOptionsFromEnv, type Logger } from '@connect-chat/core';
import { type RunningEmulator, startEmulator } from '@connect-chat/emulator';
import { createJsonLogger } from './json-logger.ts';
import { messageLogHooks } from './message-log.ts';

/** The embedded emulator checks SigV4 signatures with these, as Connect checks real ones. */
const embeddedCredentials = { accessKeyId: 'AKIDEMBEDDEDEMULATOR', secretAccessKey: 'embedded-emulator-secret' };

/** What a sample bridge needs before it mounts its framework adapter. */
export interface PreparedBridge {
  /** For `createConnectChat`: providers, route, sender, idempotency and the per-message log. */
  options: ConnectChatOptions;
  config: BridgeConfig;
  /** Set when the bridge runs on the embedded emulator. */
  emulator: RunningEmulator | undefined;
  logger: Logger;
  /** Logs where everything is, once the server listens. */
  announce(address: AddressInfo | string | null): void;
  close(): Promise<void>;
}

/**
 * Reads the configuration contract from `env`, starts the embedded emulator when neither AWS
 * credentials nor `AWS_ENDPOINT_URL_CONNECT` are set, and returns the bridge's options.
 * Throws `INVALID_OPTIONS` naming the variable when the configuration is contradictory.
 */
export async function prepareBridge(env: NodeJS.ProcessEnv = process.env): Promise<PreparedBridge> {
  const logger = createJsonLogger(env['LOG_LEVEL']);
  let config = connectChatOptionsFromEnv(env);
  let emulator: RunningEmulator | undefined;
  if (config.needsEmulator) {
    emulator = await startEmulator({
      port: Number(env['EMULATOR_PORT'] ?? 4050),
      credentials: [embeddedCredentials],
      simulator: { secrets: simulatorSecrets(env) },
      logger,
    });
    // The embedded emulator stands in for Connect, and trusts the simulator's SNS certificate.
    config = connectChatOptionsFromEnv(
      {
        ...env,
        AWS_ENDPOINT_URL_CONNECT: emulator.url,
        AWS_ACCESS_KEY_ID: embeddedCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: embeddedCredentials.secretAccessKey,
      },
      { sns: { resolveCertificate: emulator.snsCertificateResolver } },
    );
  }
  const running = emulator;
  return {
    options: { ...config.options, logger, hooks: messageLogHooks(logger, env['LOG_MESSAGE_BODIES'] === 'true') },
    config,
    emulator,
    logger,
    announce(address) {
      const url = typeof address === 'object' && address ? `http://${hostFor(address)}:${address.port}` : String(address);
      if (running) {
        logger.info('no AWS credentials and no AWS_ENDPOINT_URL_CONNECT: using the embedded Connect emulator', {
          emulatorUrl: running.url,
          emulatorPage: `${running.url}/?bridge=${encodeURIComponent(url)}`,
        });
      } else logger.info('sending to Amazon Connect', { region: config.options.sender.region, endpoint: config.options.sender.endpoint ?? 'default' });
      for (const { provider, reason } of config.disabled) logger.warn(`${provider} route disabled: ${reason}`, { provider });
      const routes = Object.fromEntries(config.enabled.map((name) => [name, `${url}/webhooks/${name}`]));
      logger.info('bridge listening', { bridgeUrl: url, routes, health: `${url}/healthz` });
    },
    close: async () => running?.close(),
  };
}

function hostFor(address: AddressInfo): string {
  if (address.address === '::' || address.address === '0.0.0.0') return '127.0.0.1';
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
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
