import { parseArgs } from 'node:util';
import { ConnectChatError, type Logger } from '@connect-chat/core';
import { channelErrorNames, connectErrorNames, operationNames } from '../connect-errors.ts';
import type { EmulatorOptions } from '../options.ts';
import { defaultHost, defaultPort } from '../options.ts';
import { type RunningEmulator, startEmulator } from '../server.ts';
import { runReplyCommand } from '../agent/reply-command.ts';
import { runSimulateCommand, simulatorSecretsFromEnv } from '../simulate/command.ts';
import type { ChannelErrorName, ConnectErrorName, EmulatorOperation, Faults, FaultStatus, LatencySpikes } from '../types.ts';

const failNextErrorNames: readonly string[] = [...connectErrorNames, ...channelErrorNames];

/** Where the CLI writes and which signals stop it; the defaults are the process's own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Emits SIGINT / SIGTERM. Default `process`. */
  signals?: {
    once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
    off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  };
  /** Called once the emulator listens. */
  onListening?(emulator: RunningEmulator): void;
  /** Where simulator secrets are read from (TWILIO_AUTH_TOKEN, …). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export const usage = `Usage: connect-chat-emulator [options]
       connect-chat-emulator simulate <twilio|whatsapp|sns|generic> --to <bridge url> --from <number> --text <text>
       connect-chat-emulator reply --emulator <url> --contact <contactId|latest> --text <text>

A local Amazon Connect: SendChatIntegrationEvent, the chat APIs (StartChatContact,
StartContactStreaming, StopContactStreaming) and the participant service (CreateParticipantConnection,
SendMessage, SendEvent, DisconnectParticipant), the chat stream to SNS subscribers and the customer's
phone (Twilio's Messages API, the WhatsApp Cloud API, SendTextMessage). Point the AWS SDK at it with
AWS_ENDPOINT_URL_CONNECT=<the printed URL> and, for the participant transport,
AWS_ENDPOINT_URL_CONNECTPARTICIPANT=<the same URL>.

Options:
  --port <n>                   port to listen on (default ${defaultPort}; 0 picks a free one)
  --host <h>                   address to listen on (default ${defaultHost})
  --access-key-id <id>         check SigV4 signatures made with this key pair
  --secret-access-key <secret>   (both or neither; without them signatures are not checked)
  --allow-unknown-subtype      accept Subtype values the API does not document
  --quota <rps>/<burst>        throttle like Connect's API quota, e.g. 2/5
  --latency <ms>               delay every request
  --latency-spikes <p>:<ms>    delay that share of Connect and participant requests ms more, e.g. 0.05:2000
  --reset-rate <p>             reset the connection of that share of Connect and participant requests
                               before handling them (nothing changes; safe to retry), p in 0..1
  --lost-response-rate <p>     handle that share of Connect and participant requests, then reset the
                               connection instead of answering (a lost response), p in 0..1
  --error-rate <status>=<p>    answer an error at random; status 400|403|404|429|500, p in 0..1; repeatable
  --fail-next <Error>[*<n>][@<Operation>]
                               answer the next request(s) with this error, in order; repeatable
                               (${connectErrorNames.join(', ')};
                               channel errors ${channelErrorNames.join(', ')} need @<channel operation>);
                               @<Operation> limits it to one of ${operationNames.join(', ')}
  --max-chats <n>              chats kept in memory (default 1000)
  --max-transcript-items <n>   transcript items kept per chat (default 1000)
  --connection-token-ttl <ms>  lifetime of the participant ConnectionTokens issued (default 24 hours),
                               to see a bridge refresh them
  --bridge <url>               the bridge the page's "Play the customer" panel posts to, e.g. http://127.0.0.1:3000;
                               the panel signs with TWILIO_AUTH_TOKEN, WHATSAPP_APP_SECRET, SNS_TOPIC_ARNS and
                               STANDARD_WEBHOOK_SECRET from the environment
  --verbose                    log every request
  -h, --help                   show this help
`;

const optionsSpec = {
  port: { type: 'string' },
  host: { type: 'string' },
  'access-key-id': { type: 'string' },
  'secret-access-key': { type: 'string' },
  'allow-unknown-subtype': { type: 'boolean' },
  quota: { type: 'string' },
  latency: { type: 'string' },
  'latency-spikes': { type: 'string' },
  'reset-rate': { type: 'string' },
  'lost-response-rate': { type: 'string' },
  'error-rate': { type: 'string', multiple: true },
  'fail-next': { type: 'string', multiple: true },
  'max-chats': { type: 'string' },
  'max-transcript-items': { type: 'string' },
  'connection-token-ttl': { type: 'string' },
  bridge: { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function integer(flag: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag}: expected a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseQuota(text: string): NonNullable<Faults['quota']> {
  const match = /^(\d+(?:\.\d+)?)\/(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--quota: expected <requests per second>/<burst>, e.g. 2/5, got ${JSON.stringify(text)}`);
  return { requestsPerSecond: Number(match[1]), burst: Number(match[2]) };
}

// The range is validateFaults' to check, so the CLI and the API refuse the same values in the same words.
function probability(flag: string, text: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(text)) throw new UsageError(`--${flag}: expected a probability 0..1, e.g. 0.01, got ${JSON.stringify(text)}`);
  return Number(text);
}

function parseLatencySpikes(text: string): LatencySpikes {
  const match = /^(\d+(?:\.\d+)?):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--latency-spikes: expected <probability>:<ms>, e.g. 0.05:2000, got ${JSON.stringify(text)}`);
  return { rate: Number(match[1]), ms: Number(match[2]) };
}

function parseErrorRates(entries: readonly string[]): Faults['errorRates'] {
  const rates: Partial<Record<FaultStatus, number>> = {};
  for (const entry of entries) {
    const match = /^(\d{3})=(\d+(?:\.\d+)?)$/.exec(entry);
    if (!match) throw new UsageError(`--error-rate: expected <status>=<probability>, e.g. 500=0.1, got ${JSON.stringify(entry)}`);
    rates[Number(match[1]) as FaultStatus] = Number(match[2]);
  }
  return rates;
}

function parseFailNext(entries: readonly string[]): Faults['failNext'] {
  return entries.map((entry) => {
    const [failure = '', operation] = entry.split('@');
    const [error = '', count = '1'] = failure.split('*');
    if (!failNextErrorNames.includes(error)) {
      throw new UsageError(`--fail-next: expected one of ${failNextErrorNames.join(', ')} (optionally *<count>, @<Operation>), got ${JSON.stringify(entry)}`);
    }
    if (operation === undefined) return { error: error as ConnectErrorName | ChannelErrorName, count: integer('fail-next', count) };
    if (!(operationNames as string[]).includes(operation)) {
      throw new UsageError(`--fail-next: expected @<Operation> among ${operationNames.join(', ')}, got ${JSON.stringify(entry)}`);
    }
    return { error: error as ConnectErrorName | ChannelErrorName, count: integer('fail-next', count), operation: operation as EmulatorOperation };
  });
}

function createCliLogger(io: CliIo, verbose: boolean): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>): void =>
    io.err(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  return {
    debug: (message, fields) => verbose && line('debug', message, fields),
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

/** Turns command-line arguments into emulator options; throws UsageError on a bad flag. */
function toOptions(values: ReturnType<typeof parse>['values'], logger: Logger, env: CliIo['env'] = {}): EmulatorOptions {
  const options: EmulatorOptions = { logger, port: defaultPort };
  if (values.port !== undefined) options.port = integer('port', values.port);
  if (values.host !== undefined) options.host = values.host;
  const accessKeyId = values['access-key-id'];
  const secretAccessKey = values['secret-access-key'];
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new UsageError('--access-key-id and --secret-access-key go together: give both or neither');
  }
  if (accessKeyId !== undefined && secretAccessKey !== undefined) options.credentials = [{ accessKeyId, secretAccessKey }];
  if (values['allow-unknown-subtype']) options.allowUnknownSubtype = true;
  if (values['max-chats'] !== undefined) options.maxChats = integer('max-chats', values['max-chats']);
  if (values['max-transcript-items'] !== undefined) options.maxTranscriptItems = integer('max-transcript-items', values['max-transcript-items']);
  if (values['connection-token-ttl'] !== undefined) options.connectionTokenTtlMs = integer('connection-token-ttl', values['connection-token-ttl']);
  const faults: Faults = {};
  if (values.quota !== undefined) faults.quota = parseQuota(values.quota);
  if (values.latency !== undefined) faults.latencyMs = integer('latency', values.latency);
  if (values['latency-spikes'] !== undefined) faults.latencySpikes = parseLatencySpikes(values['latency-spikes']);
  if (values['reset-rate'] !== undefined) faults.resetRate = probability('reset-rate', values['reset-rate']);
  if (values['lost-response-rate'] !== undefined) faults.lostResponseRate = probability('lost-response-rate', values['lost-response-rate']);
  if (values['error-rate']) faults.errorRates = parseErrorRates(values['error-rate']);
  if (values['fail-next']) faults.failNext = parseFailNext(values['fail-next']);
  options.faults = faults;
  options.simulator = { secrets: simulatorSecretsFromEnv(env) };
  if (values.bridge !== undefined) options.simulator.bridgeUrl = values.bridge;
  return options;
}

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: optionsSpec, strict: true, allowPositionals: false });
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Runs the `connect-chat-emulator` command: starts the emulator, prints its URL and resolves with
 * the exit code once SIGINT or SIGTERM closed it (0), or at once for `--help` (0) and bad usage (2).
 * `simulate <provider> …` instead delivers one signed customer message to a bridge and resolves
 * with 0 when the bridge answered 2xx, else 1; `reply …` answers in a chat of a running emulator as the agent.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv[0] === 'simulate') return runSimulateCommand(argv.slice(1), { out: io.out, err: io.err, env: io.env ?? process.env });
  if (argv[0] === 'reply') return runReplyCommand(argv.slice(1), { out: io.out, err: io.err });
  let emulator: RunningEmulator;
  try {
    const { values } = parse(argv);
    if (values.help) {
      io.out(usage);
      return 0;
    }
    emulator = await startEmulator(toOptions(values, createCliLogger(io, values.verbose === true), io.env ?? process.env));
  } catch (error) {
    const usageProblem = error instanceof UsageError || (ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS') || isParseArgsError(error);
    if (!usageProblem) throw error;
    io.err(`connect-chat-emulator: ${(error as Error).message}\nRun connect-chat-emulator --help for the options.\n`);
    return 2;
  }
  io.out(
    `Amazon Connect chat emulator listening on ${emulator.url}\nexport AWS_ENDPOINT_URL_CONNECT=${emulator.url}\nexport AWS_ENDPOINT_URL_CONNECTPARTICIPANT=${emulator.url}\nChats, transcripts and the customer simulator: ${emulator.url}/\n`,
  );
  io.onListening?.(emulator);
  const signals = io.signals ?? process;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      resolve();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
  await emulator.close();
  io.out('Emulator stopped.\n');
  return 0;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
