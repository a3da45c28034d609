import { ConnectChatError, chatIntegrationConstraints } from '@connect-chat/core';
import {
  createSnsSigner,
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppRequest,
  type SnsSigner,
  twilioMessageParams,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import { describe, isRecord } from '../invalid-option.ts';
import { isRoutePath, parseBridgeUrl, webhookUrl } from './loopback.ts';

/**
 * The providers the simulator can play, each at `<bridgeUrl>/webhooks/<provider>`.
 *
 * @example
 * const provider: SimulatedProvider = 'twilio';
 */
export type SimulatedProvider = 'twilio' | 'whatsapp' | 'sns' | 'generic';

/**
 * The keys the simulator signs with: the same values the bridge verifies with.
 *
 * @example
 * const secrets: SimulatorSecrets = { twilioAuthToken: process.env.TWILIO_AUTH_TOKEN };
 */
export interface SimulatorSecrets {
  /** Twilio's auth token (`TWILIO_AUTH_TOKEN`). */
  twilioAuthToken?: string | undefined;
  /** Meta's app secret (`WHATSAPP_APP_SECRET`). */
  whatsappAppSecret?: string | undefined;
  /** The SNS topic the notification comes from; one of the bridge's `SNS_TOPIC_ARNS`. */
  snsTopicArn?: string | undefined;
  /** The `whsec_…` secret of the generic provider (`STANDARD_WEBHOOK_SECRET`). */
  standardWebhookSecret?: string | undefined;
}

/**
 * Options of {@link simulateInbound}.
 *
 * @example
 * const options: SimulateInboundOptions = {
 *   provider: 'twilio', bridgeUrl: 'http://127.0.0.1:3000', from: '+14155550100', to: '+15550100', text: 'Hi',
 *   secrets: { twilioAuthToken: 'test-token' },
 * };
 */
export interface SimulateInboundOptions {
  provider: SimulatedProvider;
  /** The bridge's base URL on this machine, e.g. `http://127.0.0.1:3000`; other hosts are refused. */
  bridgeUrl: string;
  /** The provider's route on the bridge (the chat's own path); default `/webhooks/<provider>`. */
  path?: string | undefined;
  /** The customer's number, E.164. */
  from: string;
  /** The number the customer wrote to, E.164. */
  to: string;
  text: string;
  secrets: SimulatorSecrets;
  /** Signs SNS notifications; default a fresh signer, whose certificate no bridge trusts unless told to. */
  snsSigner?: SnsSigner | Promise<SnsSigner>;
  /** Default the global `fetch`. Redirects are never followed. */
  fetch?: typeof fetch;
  /** How long to wait for the bridge's answer. Default 30,000 ms. */
  timeoutMs?: number;
}

/**
 * What the bridge answered.
 *
 * @example
 * const { status, body }: SimulatedDelivery = await simulateInbound(options);
 */
export interface SimulatedDelivery {
  status: number;
  /** The response body as text, cut at 64 KiB. */
  body: string;
  /** The webhook URL the request was sent to. */
  url: string;
}

/** Which secret each provider needs, and where the CLI reads it from. */
export const simulatorSecretSources = {
  twilio: { secret: 'twilioAuthToken', flag: '--auth-token', env: 'TWILIO_AUTH_TOKEN' },
  whatsapp: { secret: 'whatsappAppSecret', flag: '--app-secret', env: 'WHATSAPP_APP_SECRET' },
  sns: { secret: 'snsTopicArn', flag: '--topic-arn', env: 'SNS_TOPIC_ARNS' },
  generic: { secret: 'standardWebhookSecret', flag: '--secret', env: 'STANDARD_WEBHOOK_SECRET' },
} as const satisfies Record<SimulatedProvider, { secret: keyof SimulatorSecrets; flag: string; env: string }>;

export const simulatedProviders = Object.keys(simulatorSecretSources) as SimulatedProvider[];

/** The number the customer writes to when none is given (a 555-01xx number, reserved for fiction). */
export const defaultSimulatedNumber = '+15550100';

const { e164 } = chatIntegrationConstraints;
/** Core's shape of a topic ARN, so a typo is named here rather than as a bridge's 403. */
export const snsTopicArnShape = chatIntegrationConstraints.StreamingEndpointArn.pattern;
/** Well past Connect's 1,024-character SMS limit, so the bridge's splitting can be tried. */
const maxTextLength = 16_384;
const maxResponseBytes = 64 * 1024;

function invalid(path: string, expected: string, value: unknown): never {
  throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${describe(value)}`);
}

function phoneNumber(value: unknown, path: string): string {
  if (typeof value !== 'string' || !e164.test(value)) invalid(path, 'an E.164 number such as +14155550100', value);
  return value;
}

/** The chosen provider's secret, or an error that says where to put it. */
function secretFor(provider: SimulatedProvider, secrets: SimulatorSecrets): string {
  const source = simulatorSecretSources[provider];
  const value = secrets[source.secret];
  if (typeof value !== 'string' || value === '') {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      `secrets.${source.secret}: simulating ${provider} needs it (CLI: ${source.flag} or the ${source.env} environment variable), got ${value === '' ? 'an empty string' : 'none'}`,
    );
  }
  if (provider === 'sns' && !snsTopicArnShape.test(value)) invalid('secrets.snsTopicArn', 'an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)', value);
  return value;
}

async function buildRequest(options: SimulateInboundOptions, url: string, secret: string): Promise<Request> {
  const { from, to, text } = options;
  switch (options.provider) {
    case 'twilio':
      return createTwilioRequest({ url, authToken: secret, params: twilioMessageParams({ from, to, body: text }) });
    case 'whatsapp':
      // Meta signs its escaped-unicode form of the body while sending the characters as they are.
      return createWhatsAppRequest({ url, appSecret: secret, payload: whatsAppTextPayload({ from, to, text }), escapeUnicode: true });
    case 'sns': {
      const signer = await (options.snsSigner ?? createSnsSigner());
      const envelope = await signer.notification({ topicArn: secret, message: signer.endUserMessagingSms({ from, to, text }) });
      return signer.request(envelope, { url });
    }
    case 'generic':
      return createStandardWebhookRequest({ url, secret, payload: { version: 1, type: 'message', from, to, text } });
  }
}

/** Reads at most `maxResponseBytes`, so a misbehaving bridge cannot fill the emulator's memory. */
async function readBoundedText(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxResponseBytes) {
      await reader.cancel();
      return `${text + decoder.decode(value.subarray(0, value.byteLength - (size - maxResponseBytes)))}… (cut at ${maxResponseBytes} bytes)`;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/**
 * Plays a customer: builds the webhook `provider` would send for `text` from `from` to `to`,
 * signed with `secrets` by `@connect-chat/core/testing`'s signers, posts it to
 * `<bridgeUrl>/webhooks/<provider>` and resolves with the bridge's answer. Only bridges on this
 * machine are reached (127.0.0.0/8, localhost, [::1]); redirects are not followed.
 *
 * @example
 * const { status, body } = await simulateInbound({
 *   provider: 'twilio',
 *   bridgeUrl: 'http://127.0.0.1:3000',
 *   from: '+14155550100',
 *   to: '+15550100',
 *   text: 'Where is my order?',
 *   secrets: { twilioAuthToken: process.env.TWILIO_AUTH_TOKEN },
 * });
 */
export async function simulateInbound(options: SimulateInboundOptions): Promise<SimulatedDelivery> {
  if (!isRecord(options)) invalid('options', 'an object { provider, bridgeUrl, from, to, text, secrets }', options);
  if (!(simulatedProviders as unknown[]).includes(options.provider)) invalid('provider', `one of ${simulatedProviders.join(', ')}`, options.provider);
  const bridgeUrl = parseBridgeUrl(options.bridgeUrl, 'bridgeUrl');
  phoneNumber(options.from, 'from');
  phoneNumber(options.to, 'to');
  if (typeof options.text !== 'string' || options.text.trim() === '' || options.text.length > maxTextLength) {
    invalid('text', `a non-blank string of at most ${maxTextLength} characters`, options.text);
  }
  if (!isRecord(options.secrets)) invalid('secrets', 'an object such as { twilioAuthToken }', options.secrets);
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1) invalid('timeoutMs', 'a positive integer', timeoutMs);
  const fetchBridge = options.fetch ?? fetch;
  if (typeof fetchBridge !== 'function') invalid('fetch', 'a function', fetchBridge);

  if (options.path !== undefined && !isRoutePath(options.path)) invalid('path', 'a route path such as /webhooks/twilio', options.path);
  const url = webhookUrl(bridgeUrl, options.provider, options.path);
  const request = await buildRequest(options, url, secretFor(options.provider, options.secrets));
  let response: Response;
  try {
    // A redirect could lead off this machine: report it instead of following it.
    response = await fetchBridge(new Request(request, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) }));
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message) : String(error);
    throw new ConnectChatError('NETWORK_ERROR', `The bridge at ${url} did not answer (${reason}). Is it running?`, { cause: error });
  }
  return { status: response.status, body: await readBoundedText(response), url };
}
