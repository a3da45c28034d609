import { invalidOption, isRecord } from '../invalid-option.ts';
import { isRoutePath, parseBridgeUrl } from './loopback.ts';
import { type SimulatedProvider, type SimulatorSecrets, simulatedProviders, snsTopicArnShape } from './simulate-inbound.ts';

/**
 * What the emulator's "Play the customer" panel and `POST /_emulator/simulate` sign and deliver with.
 *
 * @example
 * const simulator: SimulatorOptions = { bridgeUrl: 'http://127.0.0.1:3000', secrets: { twilioAuthToken: process.env.TWILIO_AUTH_TOKEN } };
 * await startEmulator({ port: 0, simulator });
 */
export interface SimulatorOptions {
  /** The bridge the panel delivers to unless told otherwise; only hosts on this machine. */
  bridgeUrl?: string | undefined;
  /** The secrets the bridge verifies with; a provider without its secret cannot be simulated. */
  secrets: SimulatorSecrets;
  /** Each provider's route on the bridge (its chat's `paths`); default `/webhooks/<provider>`. */
  paths?: Partial<Record<SimulatedProvider, string>> | undefined;
}

export interface ResolvedSimulatorOptions {
  bridgeUrl: string | undefined;
  secrets: SimulatorSecrets;
  paths: Partial<Record<SimulatedProvider, string>>;
}

const secretNames = ['twilioAuthToken', 'whatsappAppSecret', 'snsTopicArn', 'standardWebhookSecret'] as const;

/** Checks `simulator` once, at construction; a secret is never repeated in an error. */
export function resolveSimulatorOptions(value: unknown): ResolvedSimulatorOptions {
  if (value === undefined) return { bridgeUrl: undefined, secrets: {}, paths: {} };
  if (!isRecord(value)) invalidOption('simulator', 'an object { bridgeUrl?, secrets }', value);
  const bridgeUrl = value['bridgeUrl'] === undefined ? undefined : parseBridgeUrl(value['bridgeUrl'], 'simulator.bridgeUrl').href.replace(/\/+$/, '');
  const secrets = value['secrets'];
  if (!isRecord(secrets)) invalidOption('simulator.secrets', 'an object such as { twilioAuthToken }', secrets);
  const resolved: SimulatorSecrets = {};
  for (const name of Object.keys(secrets)) {
    if (!(secretNames as readonly string[]).includes(name))
      invalidOption(`simulator.secrets.${name}`, `one of ${secretNames.join(', ')}`, 'an unknown key', 'an unknown key');
  }
  for (const name of secretNames) {
    const secret = secrets[name];
    if (secret === undefined) continue;
    if (typeof secret !== 'string' || secret === '') {
      invalidOption(`simulator.secrets.${name}`, 'a non-empty string', undefined, typeof secret === 'string' ? 'an empty string' : typeof secret);
    }
    if (name === 'snsTopicArn' && !snsTopicArnShape.test(secret))
      invalidOption('simulator.secrets.snsTopicArn', 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)', secret);
    resolved[name] = secret;
  }
  return { bridgeUrl, secrets: resolved, paths: resolvePaths(value['paths']) };
}

function resolvePaths(value: unknown): Partial<Record<SimulatedProvider, string>> {
  if (value === undefined) return {};
  if (!isRecord(value)) invalidOption('simulator.paths', 'an object such as { twilio: "/webhooks/twilio" }', value);
  for (const [provider, path] of Object.entries(value)) {
    if (!(simulatedProviders as readonly string[]).includes(provider))
      invalidOption(`simulator.paths.${provider}`, `one of ${simulatedProviders.join(', ')}`, 'an unknown key', 'an unknown key');
    if (!isRoutePath(path)) invalidOption(`simulator.paths.${provider}`, 'a route path such as /webhooks/twilio', path);
  }
  return { ...(value as Partial<Record<SimulatedProvider, string>>) };
}
