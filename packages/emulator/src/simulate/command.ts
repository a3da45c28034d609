import { parseArgs } from 'node:util';
import { ConnectChatError } from '@connect-chat/core';
import { parseBridgeUrl } from './loopback.ts';
import {
  defaultSimulatedNumber,
  type SimulatedProvider,
  type SimulatorSecrets,
  simulatedProviders,
  simulateInbound,
  simulatorSecretSources,
} from './simulate-inbound.ts';

/** What the `simulate` subcommand needs from its surroundings. */
export interface SimulateCommandIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export const simulateUsage = `Usage: connect-chat-emulator simulate <${simulatedProviders.join('|')}> --to <bridge url> --from <number> --text <text> [options]

Plays a customer: signs the webhook the provider would send, posts it to <bridge url>/webhooks/<provider>,
prints the bridge's status and body, and exits 0 on a 2xx answer, 1 otherwise. Only bridges on this
machine (127.0.0.0/8, localhost, [::1]) are reached.

Options:
  --to <url>            the bridge's base URL, e.g. http://127.0.0.1:3000
  --from <number>       the customer's number, E.164
  --number <number>     the number the customer writes to, E.164 (default ${defaultSimulatedNumber})
  --text <text>         the message
  --auth-token <token>  twilio: the auth token (default: $TWILIO_AUTH_TOKEN)
  --app-secret <secret> whatsapp: the app secret (default: $WHATSAPP_APP_SECRET)
  --topic-arn <arn>     sns: the topic the message comes from (default: the first of $SNS_TOPIC_ARNS)
  --secret <whsec_…>    generic: the Standard Webhooks secret (default: $STANDARD_WEBHOOK_SECRET)
  --emulator <url>      let that running emulator sign and deliver instead, with its own secrets and
                        SNS certificate (the one a bridge on the embedded emulator trusts)
  -h, --help            show this help

Without --emulator, SNS messages are signed with a certificate of the command's own, which no bridge
trusts: a bridge that fetches certificates from Amazon answers 401. Use --emulator for SNS.
`;

const optionsSpec = {
  to: { type: 'string' },
  from: { type: 'string' },
  number: { type: 'string' },
  text: { type: 'string' },
  'auth-token': { type: 'string' },
  'app-secret': { type: 'string' },
  'topic-arn': { type: 'string' },
  secret: { type: 'string' },
  emulator: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type SecretFlag = (typeof simulatorSecretSources)[SimulatedProvider]['flag'];

/**
 * The simulator's secrets from the environment variables the bridges read too. `SNS_TOPIC_ARNS` is
 * a comma-separated list; the first topic is the one messages come from.
 */
export function simulatorSecretsFromEnv(env: Readonly<Record<string, string | undefined>>): SimulatorSecrets {
  const secrets: SimulatorSecrets = {};
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const twilio = read('TWILIO_AUTH_TOKEN');
  const whatsapp = read('WHATSAPP_APP_SECRET');
  const topic = read('SNS_TOPIC_ARNS')
    ?.split(',')
    .map((arn) => arn.trim())
    .find((arn) => arn !== '');
  const generic = read('STANDARD_WEBHOOK_SECRET');
  if (twilio !== undefined) secrets.twilioAuthToken = twilio;
  if (whatsapp !== undefined) secrets.whatsappAppSecret = whatsapp;
  if (topic !== undefined) secrets.snsTopicArn = topic;
  if (generic !== undefined) secrets.standardWebhookSecret = generic;
  return secrets;
}

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/**
 * `connect-chat-emulator simulate <provider> …`: resolves with the exit code (0 on a 2xx answer,
 * 1 on any other answer or an unreachable bridge, 2 on bad usage).
 */
export async function runSimulateCommand(argv: readonly string[], io: SimulateCommandIo): Promise<number> {
  let provider: SimulatedProvider;
  let options: Parameters<typeof simulateInbound>[0];
  let emulator: URL | undefined;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: optionsSpec, strict: true, allowPositionals: true });
    if (values.help) {
      io.out(simulateUsage);
      return 0;
    }
    if (positionals.length !== 1 || !(simulatedProviders as string[]).includes(positionals[0] ?? '')) {
      throw new UsageError(
        `expected one provider, ${simulatedProviders.join(', ')}, got ${positionals.length === 0 ? 'none' : positionals.map((p) => JSON.stringify(p)).join(' ')}`,
      );
    }
    provider = positionals[0] as SimulatedProvider;
    const own = simulatorSecretSources[provider].flag;
    for (const other of simulatedProviders) {
      const flag: SecretFlag = simulatorSecretSources[other].flag;
      if (other !== provider && values[flag.slice(2) as keyof typeof values] !== undefined) {
        throw new UsageError(`${flag} is for ${other}; ${provider} takes ${own}`);
      }
    }
    const secrets = simulatorSecretsFromEnv(io.env);
    const fromFlag = values[own.slice(2) as 'auth-token' | 'app-secret' | 'topic-arn' | 'secret'];
    if (fromFlag !== undefined) secrets[simulatorSecretSources[provider].secret] = fromFlag;
    options = {
      provider,
      bridgeUrl: required(values.to, '--to <bridge url>'),
      from: required(values.from, '--from <customer number>'),
      to: values.number ?? defaultSimulatedNumber,
      text: required(values.text, '--text <message>'),
      secrets,
    };
    if (values.emulator !== undefined) emulator = parseBridgeUrl(values.emulator, '--emulator');
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) return usageFailure(io, (error as Error).message);
    if (ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS') return usageFailure(io, error.message);
    throw error;
  }
  try {
    const { status, body, url } = emulator ? await deliverThrough(emulator, options) : await simulateInbound(options);
    io.out(`POST ${url}\nHTTP ${status}\n${body === '' ? '' : `${body}\n`}`);
    return status >= 200 && status < 300 ? 0 : 1;
  } catch (error) {
    if (!ConnectChatError.is(error)) throw error;
    if (error.code === 'INVALID_OPTIONS') return usageFailure(io, flagNames(error.message));
    io.err(`connect-chat-emulator simulate: ${error.message}\n`);
    return 1;
  }
}

/** Asks a running emulator's simulator (POST /_emulator/simulate) to sign and deliver. */
async function deliverThrough(emulator: URL, options: Parameters<typeof simulateInbound>[0]) {
  const { provider, bridgeUrl, from, to, text } = options;
  let answer: Response;
  try {
    answer = await fetch(new URL('/_emulator/simulate', emulator), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider, bridgeUrl, from, to, text }),
      redirect: 'manual',
    });
  } catch (cause) {
    throw new ConnectChatError('NETWORK_ERROR', `no emulator answered at ${emulator.origin}`, { cause });
  }
  const result = (await answer.json().catch(() => ({}))) as { status?: number; body?: string; url?: string; error?: { message?: string } };
  if (!answer.ok || typeof result.status !== 'number') {
    throw new ConnectChatError('NETWORK_ERROR', `the emulator refused: ${result.error?.message ?? `HTTP ${answer.status}`}`);
  }
  return { status: result.status, body: result.body ?? '', url: result.url ?? `${bridgeUrl}/webhooks/${provider}` };
}

function usageFailure(io: SimulateCommandIo, message: string): number {
  io.err(`connect-chat-emulator simulate: ${message}\nRun connect-chat-emulator simulate --help for the options.\n`);
  return 2;
}

/** simulateInbound names its options; on the command line the flags are what a person typed. */
function flagNames(message: string): string {
  return message
    .replace(/^bridgeUrl:/, '--to:')
    .replace(/^from:/, '--from:')
    .replace(/^to:/, '--number:')
    .replace(/^text:/, '--text:');
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
