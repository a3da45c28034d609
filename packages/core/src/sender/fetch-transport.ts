import { createSignedPost } from '#signed-post';
import { SendError } from '../errors/send-error.ts';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { expectRecord, invalidOption, optionNames, rejectUnknownKeys } from '../options/toolkit.ts';
import { createMemorySessionStore } from '../sessions/memory-session-store.ts';
import type { SessionStore } from '../sessions/types.ts';
import { checkAwsClientOptions, environmentEndpoint, processEnv } from './aws-clients.ts';
import { type StopSignal, stopOf } from './deadlines.ts';
import { toSendError } from './aws-errors.ts';
import { hints, operation, quotas, recordSession, toTransportResult } from './integration-event.ts';
import { answerMetadata, chatIntegrationEventBody, parseAnswerBody, restJsonError } from './rest-json.ts';
import type { SignedPost } from './signed-post-types.ts';
import type { AwsKeys, ChatTransport, TransportResult } from './types.ts';

/**
 * Options of {@link createFetchTransport}: where Connect is and what signs the calls.
 *
 * @example
 * const options: FetchTransportOptions = { region: 'eu-west-2', credentials: { accessKeyId, secretAccessKey } };
 */
export interface FetchTransportOptions {
  /** The Region to sign for and call. Default: `AWS_REGION` where a process environment exists. */
  region?: string;
  /**
   * Static keys, or a provider called for every call (so rotated keys are used as soon as it returns
   * them; e.g. the AWS SDK's `fromNodeProviderChain()`, which caches them itself). Default:
   * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` where a process environment
   * exists (the first link of the SDK's chain; profiles, SSO and instance roles need a provider).
   */
  credentials?: AwsKeys | (() => Promise<AwsKeys>);
  /** Connect endpoint override; `AWS_ENDPOINT_URL_CONNECT` is honoured when unset. Default: `https://connect.{region}.amazonaws.com`. */
  endpoint?: string;
  /** Where each chat's contact and channel address is recorded for the reply route. Default: in memory. */
  sessions?: SessionStore;
}

const knownOptions = optionNames<FetchTransportOptions>()({ region: true, credentials: true, endpoint: true, sessions: true });

/** Connect answers in well under a kilobyte; anything longer is not its answer and is not read to the end. */
const maxAnswerBytes = 64 * 1024;

const encoder = new TextEncoder();

/**
 * SendChatIntegrationEvent without the AWS SDK: one signed POST per call, on what each runtime does
 * cheapest — `node:http` with `aws4`'s synchronous SigV4 signer on node:crypto on Node, Bun
 * and Deno; `fetch` with `aws4fetch` on Web Crypto in Workers and browsers, where it bundles small.
 * It sends the bytes the SDK transport sends, and its failures are the same `SendError` codes,
 * statuses and retryability; like it, it paces to the API's quota (17/s, burst 26), makes one attempt
 * per call (the sender owns retries), honours the attempt's abort signal and records each chat's
 * session for the reply route. It reads at most 64 KiB of an answer.
 *
 * @example
 * const transport = createFetchTransport({ region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } });
 * const chat = createConnectChat({ providers, route, sender: { transport } });
 */
export function createFetchTransport(options: FetchTransportOptions = {}): ChatTransport {
  return createLeanTransport(options, createSignedPost());
}

/** {@link createFetchTransport} over a given way to sign and post: tests run it over both. */
export function createLeanTransport(options: FetchTransportOptions, signedPost: SignedPost): ChatTransport {
  expectRecord(options as unknown, 'options');
  rejectUnknownKeys(options as unknown as Record<string, unknown>, knownOptions, '');
  const { credentials } = checkAwsClientOptions(options);
  const region = options.region ?? environmentRegion();
  const endpoint = options.endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_CONNECT');
  const url = endpoint !== undefined ? operationUrl(endpoint) : region !== undefined ? operationUrl(`https://connect.${region}.amazonaws.com`) : undefined;
  const sessions = options.sessions ?? createMemorySessionStore();

  async function post(event: ChatIntegrationEvent, signal: StopSignal): Promise<TransportResult> {
    if (region === undefined || url === undefined) throw misconfigured('the fetch transport has no Region to sign for; set its region option or AWS_REGION');
    // A provider that hangs (a metadata endpoint that never answers) must not outlive the attempt;
    // static keys are at hand, and need no race against the signal (a promise and a listener per send).
    let keys: AwsKeys;
    if (typeof credentials === 'function') keys = await untilAborted(fromProvider(credentials), signal);
    else {
      if (signal.aborted) throw signal.reason;
      keys = checkedKeys(credentials ?? environmentKeys());
    }
    const body = encoder.encode(chatIntegrationEventBody(event));
    const answer = await signedPost({ url, region, service: 'connect', keys, body, signal, maxAnswerBytes });
    const metadata = answerMetadata(answer.status, answer.headers);
    if (answer.body === undefined) {
      throw Object.assign(new SyntaxError(`the answer is longer than ${maxAnswerBytes} bytes`), { $metadata: metadata });
    }
    // Below 200: a browser's opaque redirect (status 0), never an answer that Connect accepted the event.
    if (answer.status < 200 || answer.status >= 300) throw restJsonError(answer.status, answer.headers, answer.body);
    return toTransportResult(parseAnswerBody(answer.body, metadata), metadata.requestId);
  }

  return {
    quotas,
    sessions,
    async send(event, options): Promise<TransportResult> {
      const { pace, idempotencyKey, address } = options;
      const signal = stopOf(options);
      await pace(operation);
      let result: TransportResult;
      try {
        result = await post(event, signal);
      } catch (error) {
        throw toSendError(error, { operation, hints, signal });
      }
      await recordSession(sessions, event, result, { idempotencyKey, address });
      return result;
    },
  };
}

/** `{endpoint}/chat-integration-event`, after the endpoint's own path as the SDK joins them. */
function operationUrl(endpoint: string): string {
  const base = new URL(endpoint);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}/chat-integration-event`;
  return base.toString();
}

function environmentRegion(): string | undefined {
  const region = processEnv()?.['AWS_REGION'];
  if (region === undefined || region === '') return undefined;
  if (!/^[a-z0-9-]{1,50}$/.test(region)) invalidOption('AWS_REGION', 'an AWS Region such as us-east-1', region);
  return region;
}

async function fromProvider(provider: () => Promise<AwsKeys> | AwsKeys): Promise<AwsKeys> {
  // A provider's failure goes to toSendError as it is, as it does from the SDK (CredentialsProviderError → CONNECT_MISCONFIGURED).
  return checkedKeys(await provider());
}

function checkedKeys(keys: AwsKeys | undefined): AwsKeys {
  if (keys === undefined) {
    throw misconfigured(
      'the fetch transport has no AWS credentials; set its credentials option (keys, or a provider), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
  }
  if (typeof keys !== 'object' || keys === null || typeof keys.accessKeyId !== 'string' || typeof keys.secretAccessKey !== 'string') {
    throw misconfigured('the credentials provider of the fetch transport returned no accessKeyId and secretAccessKey');
  }
  return keys;
}

function environmentKeys(): AwsKeys | undefined {
  const env = processEnv();
  const accessKeyId = env?.['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env?.['AWS_SECRET_ACCESS_KEY'];
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env?.['AWS_SESSION_TOKEN'];
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Not retried (it cannot help) but answered 503, as the SDK transport's missing Region or credentials. */
function misconfigured(why: string): SendError {
  return new SendError('CONNECT_MISCONFIGURED', `${operation}: ${why}`);
}

function untilAborted<T>(work: Promise<T>, signal: StopSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
