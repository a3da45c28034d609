import { describeValue } from '../../options/toolkit.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { ReceivedRequest } from '../../wire/types.ts';
import { checkProviderName, createSecretResolver } from '../secrets.ts';
import { createHmacVerifier, timingSafeEqual } from '../hmac.ts';
import { fromHex } from '../encoding.ts';
import type { InboundMessage } from '../../model/inbound-message.ts';
import type { IgnoredEvent, ParseResult, Provider, ProviderContext, SecretSource } from '../types.ts';
import { isRecord } from '../../options/toolkit.ts';
import { malformed, optionalString, record, requiredString, whatsAppContent } from './content.ts';
import { escapeUnicode, hasNonAscii } from './signature.ts';

/**
 * Options of {@link createWhatsAppProvider}.
 *
 * @example
 * const options: WhatsAppProviderOptions = { appSecret: ({ env }) => String(env?.WHATSAPP_APP_SECRET), verifyToken: 'my-verify-token' };
 */
export interface WhatsAppProviderOptions {
  /** The Meta app secret that keys `X-Hub-Signature-256`; a list during rotation. */
  appSecret: SecretSource;
  /** The verify token entered in the app's webhook settings, checked on the subscription GET. */
  verifyToken: SecretSource;
  /** Default `whatsapp`. */
  name?: string;
}

/** Meta sends lowercase hex; only that spelling is accepted. */
const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/;
/** Meta's challenge is a number; anything else is refused rather than echoed back. */
const CHALLENGE = /^[A-Za-z0-9._~-]{1,256}$/;

/**
 * Meta WhatsApp Cloud API webhooks. `GET` answers the subscription check: `verify` compares
 * `hub.verify_token` (403 on mismatch) and `parse` echoes `hub.challenge`. `POST` verifies
 * `X-Hub-Signature-256` over the raw bytes or, failing that, Meta's escaped-unicode form, and
 * yields every message of every entry and change in order. Statuses, reactions, system messages
 * and deliveries for other objects (`page`, `instagram`, … sharing the app's callback URL) are
 * ignored on purpose, so Meta does not retry them.
 *
 * @example
 * const whatsapp = createWhatsAppProvider({
 *   appSecret: process.env.WHATSAPP_APP_SECRET!,
 *   verifyToken: process.env.WHATSAPP_VERIFY_TOKEN!,
 * });
 */
export function createWhatsAppProvider(options: WhatsAppProviderOptions): Provider {
  if (typeof options !== 'object' || options === null) {
    throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object, got ${describeValue(options, { secret: true })}`);
  }
  const name = checkProviderName(options.name, 'whatsapp');
  const appSecrets = createSecretResolver(options.appSecret, 'appSecret');
  const verifyTokens = createSecretResolver(options.verifyToken, 'verifyToken');
  const hmacVerifier = createHmacVerifier('SHA-256');

  return {
    name,
    methods: ['GET', 'POST'],
    contentTypes: { POST: ['application/json'] },

    async verify(request: ReceivedRequest, context: ProviderContext): Promise<void> {
      const secretRequest = { headers: request.headers, url: request.url, env: context.env };
      if (request.method.toUpperCase() === 'GET') {
        const { token } = readSubscription(request.url);
        const tokens = await verifyTokens(secretRequest);
        // Every token is compared, so timing does not tell which one matched.
        const matched = tokens.map((candidate) => timingSafeEqual(candidate, token)).includes(true);
        if (!matched) throw new ConnectChatError('FORBIDDEN', 'hub.verify_token does not match the configured verify token');
        return;
      }
      const header = request.headers.get('x-hub-signature-256');
      if (header === null || header.trim() === '') throw new SignatureError('missing X-Hub-Signature-256 header');
      const hex = SIGNATURE_HEADER.exec(header.trim())?.[1];
      if (hex === undefined) throw new SignatureError('X-Hub-Signature-256 is not of the form sha256=<64 lowercase hex digits>');
      const signedForms: (string | Uint8Array)[] = [request.body];
      if (hasNonAscii(request.text)) signedForms.push(escapeUnicode(request.text));
      const secrets = await appSecrets(secretRequest);
      if (!(await hmacVerifier.verify(secrets, [fromHex(hex)!], signedForms))) {
        throw new SignatureError('X-Hub-Signature-256 does not match any configured app secret');
      }
    },

    async parse(request: ReceivedRequest): Promise<ParseResult> {
      if (request.method.toUpperCase() === 'GET') {
        const { challenge } = readSubscription(request.url);
        return {
          kind: 'reply',
          response: {
            status: 200,
            headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
            body: challenge,
          },
        };
      }
      return parseNotification(request.text, name);
    },
  };
}

function readSubscription(url: URL): { token: string; challenge: string } {
  const mode = url.searchParams.get('hub.mode');
  const token = url.searchParams.get('hub.verify_token');
  const challenge = url.searchParams.get('hub.challenge');
  for (const [key, value] of [
    ['hub.mode', mode],
    ['hub.verify_token', token],
    ['hub.challenge', challenge],
  ] as const) {
    if (value === null || value === '') throw new ConnectChatError('MALFORMED_PAYLOAD', `${key}: missing query parameter`);
  }
  if (mode !== 'subscribe') throw new ConnectChatError('FORBIDDEN', `hub.mode: expected "subscribe", got ${JSON.stringify(mode?.slice(0, 40))}`);
  if (!CHALLENGE.test(challenge!)) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'hub.challenge: expected 1 to 256 letters, digits, ".", "_", "~" or "-"');
  }
  return { token: token!, challenge: challenge! };
}

function parseNotification(text: string, provider: string): ParseResult {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'body: expected JSON', { cause: error });
  }
  const root = record(payload, 'body');
  const messages: InboundMessage[] = [];
  const ignored: IgnoredEvent[] = [];
  if (root.object !== 'whatsapp_business_account') {
    const object = typeof root.object === 'string' ? root.object : describeValue(root.object, { secret: true });
    ignored.push({ provider, reason: `webhook for object "${object}", not whatsapp_business_account`, raw: payload });
    return { kind: 'messages', messages, ignored };
  }
  if (!Array.isArray(root.entry)) throw malformed('entry', 'expected an array', root.entry);
  root.entry.forEach((entryValue: unknown, entryIndex) => {
    const entryPath = `entry[${entryIndex}]`;
    const entry = record(entryValue, entryPath);
    if (!Array.isArray(entry.changes)) throw malformed(`${entryPath}.changes`, 'expected an array', entry.changes);
    entry.changes.forEach((changeValue: unknown, changeIndex) => {
      const changePath = `${entryPath}.changes[${changeIndex}]`;
      const change = record(changeValue, changePath);
      if (change.field !== 'messages') {
        const field = typeof change.field === 'string' ? change.field : describeValue(change.field, { secret: true });
        ignored.push({ provider, reason: `whatsapp change "${field}" carries no customer message`, raw: change });
        return;
      }
      const found = readChange(record(change.value, `${changePath}.value`), `${changePath}.value`, provider);
      messages.push(...found.messages);
      ignored.push(...found.ignored);
      if (found.messages.length === 0 && found.ignored.length === 0) {
        ignored.push({ provider, reason: 'whatsapp messages change without messages or statuses', raw: change });
      }
    });
  });
  return { kind: 'messages', messages, ignored };
}

function readChange(value: Record<string, unknown>, path: string, provider: string): { messages: InboundMessage[]; ignored: IgnoredEvent[] } {
  const messages: InboundMessage[] = [];
  const ignored: IgnoredEvent[] = [];
  for (const [index, status] of list(value, 'statuses', path).entries()) {
    const item = record(status, `${path}.statuses[${index}]`);
    const state = typeof item.status === 'string' ? item.status : 'unknown';
    ignored.push({ provider, reason: `whatsapp status callback (${state})`, raw: item });
  }
  for (const error of list(value, 'errors', path)) {
    const code = isRecord(error) && (typeof error.code === 'number' || typeof error.code === 'string') ? ` ${error.code}` : '';
    ignored.push({ provider, reason: `whatsapp error notification${code}`, raw: error });
  }
  const incoming = list(value, 'messages', path);
  if (incoming.length === 0) return { messages, ignored };

  const metadata = record(value.metadata, `${path}.metadata`);
  const displayNumber = requiredString(metadata, 'display_phone_number', `${path}.metadata`).replace(/\D/g, '');
  if (displayNumber === '') throw malformed(`${path}.metadata.display_phone_number`, 'expected a phone number', 'no digits');
  const phoneNumberId = optionalString(metadata, 'phone_number_id', `${path}.metadata`);
  const contacts = list(value, 'contacts', path).filter(isRecord);

  incoming.forEach((messageValue: unknown, index) => {
    const at = `${path}.messages[${index}]`;
    const message = record(messageValue, at);
    // Checked before anything is ignored: a message that cannot be deduplicated or traced to a
    // customer is refused (4xx), so the operator sees it instead of a silent 200.
    const id = requiredString(message, 'id', at);
    const waId = requiredString(message, 'from', at);
    const type = requiredString(message, 'type', at);
    const content = whatsAppContent(message, type, at);
    if ('ignored' in content) {
      ignored.push({ provider, reason: content.ignored, raw: message });
      return;
    }
    const contact = contacts.find((candidate) => candidate.wa_id === waId);
    const profileName =
      isRecord(contact?.profile) && typeof contact.profile.name === 'string' && contact.profile.name !== '' ? contact.profile.name : undefined;
    const timestamp = optionalString(message, 'timestamp', at);
    messages.push({
      provider,
      id,
      channel: 'whatsapp',
      kind: 'message',
      from: toE164(waId, `${at}.from`),
      to: `+${displayNumber}`,
      ...(phoneNumberId !== undefined && phoneNumberId !== '' && { toAliases: [phoneNumberId] }),
      ...(content.text !== undefined && { text: content.text }),
      media: content.media,
      ...(profileName !== undefined && { profileName }),
      ...(timestamp !== undefined && /^\d{1,12}$/.test(timestamp) && { timestamp: new Date(Number(timestamp) * 1000).toISOString() }),
      raw: message,
    });
  });
  return { messages, ignored };
}

function list(value: Record<string, unknown>, key: string, path: string): unknown[] {
  const items = value[key];
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw malformed(`${path}.${key}`, 'expected an array', items);
  return items;
}

function toE164(waId: string, path: string): string {
  const digits = waId.startsWith('+') ? waId.slice(1) : waId;
  if (!/^\d{1,15}$/.test(digits)) throw malformed(path, 'expected a WhatsApp id of up to 15 digits', 'another string');
  return `+${digits}`;
}
