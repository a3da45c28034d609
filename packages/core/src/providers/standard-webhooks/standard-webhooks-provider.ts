import { describeValue } from '../../options/toolkit.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { ReceivedRequest } from '../../wire/types.ts';
import { checkProviderName, createSecretResolver } from '../secrets.ts';
import { createHmacVerifier } from '../hmac.ts';
import { fromBase64 } from '../encoding.ts';
import type { ParseResult, Provider, ProviderContext, SecretSource } from '../types.ts';
import { parseGenericMessage } from './schema.ts';
import { checkStandardWebhookSecret, secretKey, signedContent } from './signature.ts';

/**
 * Options of {@link createStandardWebhooksProvider}.
 *
 * @example
 * const options: StandardWebhooksProviderOptions = { secret: [newSecret, oldSecret], toleranceSeconds: 120 };
 */
export interface StandardWebhooksProviderOptions {
  /** `whsec_<base64>` secrets; any one of them verifies (rotation). */
  secret: SecretSource;
  /** How far `webhook-timestamp` may be from now, in the past or the future. Default 300 seconds. */
  toleranceSeconds?: number;
  /** Default `generic`. */
  name?: string;
}

/** More signatures than any rotation needs is a request to burn CPU. */
const MAX_SIGNATURES = 16;
const MAX_ID_LENGTH = 255;

/**
 * The generic provider for your own systems: JSON bodies in connect-chat's versioned schema
 * (docs/generic-webhook.md), signed per the Standard Webhooks specification
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`). `webhook-id` is the
 * message id and idempotency key.
 *
 * @example
 * const generic = createStandardWebhooksProvider({ secret: process.env.STANDARD_WEBHOOK_SECRET! });
 */
export function createStandardWebhooksProvider(options: StandardWebhooksProviderOptions): Provider {
  if (typeof options !== 'object' || options === null) {
    throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object, got ${describeValue(options, { secret: true })}`);
  }
  const name = checkProviderName(options.name, 'generic');
  const secrets = createSecretResolver(options.secret, 'secret', checkStandardWebhookSecret);
  const hmacVerifier = createHmacVerifier('SHA-256');
  const tolerance = options.toleranceSeconds ?? 300;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `toleranceSeconds: expected a positive number of seconds, got ${describeValue(tolerance)}`);
  }

  return {
    name,
    methods: ['POST'],
    contentTypes: { POST: ['application/json'] },

    async verify(request: ReceivedRequest, context: ProviderContext): Promise<void> {
      const { id, timestamp, signature } = readHeaders(request);
      const age = Math.floor(Date.now() / 1000) - Number(timestamp);
      if (Math.abs(age) > tolerance) {
        const when = age > 0 ? `${age} s in the past` : `${-age} s in the future`;
        throw new SignatureError(`webhook-timestamp is ${when}, outside the ${tolerance} s tolerance`);
      }
      // Space-separated per the spec; a proxy that merges repeated headers joins them with ", ".
      const signatures = signature
        .split(/\s+/)
        .map((entry) => entry.replace(/,$/, ''))
        .filter((entry) => entry.startsWith('v1,'))
        .map((entry) => fromBase64(entry.slice(3)));
      if (signatures.length === 0) throw new SignatureError('webhook-signature has no v1 signature');
      if (signatures.length > MAX_SIGNATURES) throw new SignatureError(`webhook-signature has more than ${MAX_SIGNATURES} v1 signatures`);
      const valid = signatures.filter((entry) => entry !== undefined);
      const keys = (await secrets({ headers: request.headers, url: request.url, env: context.env })).map((secret) => secretKey(secret)!);
      if (!(await hmacVerifier.verify(keys, valid, [signedContent(id, timestamp, request.body)]))) {
        throw new SignatureError('webhook-signature does not match any configured secret');
      }
    },

    async parse(request: ReceivedRequest): Promise<ParseResult> {
      const { id, timestamp } = readHeaders(request);
      const message = parseGenericMessage(request.text, { provider: name, id, timestamp: new Date(Number(timestamp) * 1000).toISOString() });
      return { kind: 'messages', messages: [message], ignored: [] };
    },
  };
}

function readHeaders(request: ReceivedRequest): { id: string; timestamp: string; signature: string } {
  const values = { id: 'webhook-id', timestamp: 'webhook-timestamp', signature: 'webhook-signature' } as const;
  const id = request.headers.get(values.id)?.trim();
  const timestamp = request.headers.get(values.timestamp)?.trim();
  const signature = request.headers.get(values.signature)?.trim();
  for (const [header, value] of [
    [values.id, id],
    [values.timestamp, timestamp],
    [values.signature, signature],
  ] as const) {
    if (value === undefined || value === '') throw new SignatureError(`missing ${header} header`);
  }
  if (id!.length > MAX_ID_LENGTH) throw new SignatureError(`webhook-id is longer than ${MAX_ID_LENGTH} characters`);
  if (!/^\d{1,12}$/.test(timestamp!)) throw new SignatureError('webhook-timestamp is not a unix time in seconds');
  return { id: id!, timestamp: timestamp!, signature: signature! };
}
