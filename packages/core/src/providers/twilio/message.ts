import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import type { Channel, InboundMedia } from '../../model/inbound-message.ts';
import type { ParseResult } from '../types.ts';
import { describeLocation } from '../location.ts';

/** Received fields by name, repeated names kept. */
export type TwilioFields = ReadonlyMap<string, readonly string[]>;

const WHATSAPP_PREFIX = 'whatsapp:';
/** Twilio allows at most 10 media per message; anything far beyond is not a Twilio payload. */
const MAX_MEDIA = 50;

/**
 * Turns a verified Twilio messaging webhook into one inbound message, or an ignored status
 * callback (`MessageStatus`/`SmsStatus` other than `received`).
 */
export function parseTwilioMessage(fields: TwilioFields, raw: unknown, provider: string): ParseResult {
  const field = (name: string): string | undefined => fields.get(name)?.[0];

  const status = field('MessageStatus') ?? field('SmsStatus');
  const isStatusCallback =
    (status !== undefined && status.toLowerCase() !== 'received') ||
    (field('MessageStatus') !== undefined && field('Body') === undefined && field('NumMedia') === undefined);
  if (isStatusCallback) {
    return { kind: 'messages', messages: [], ignored: [{ provider, reason: `twilio status callback (${status})`, raw }] };
  }

  const id = required(field, 'MessageSid');
  const fromField = required(field, 'From');
  const toField = required(field, 'To');
  const channel: Channel = fromField.toLowerCase().startsWith(WHATSAPP_PREFIX) ? 'whatsapp' : 'sms';
  const from = address(fromField, 'From');
  const to = address(toField, 'To');

  const body = field('Body');
  const latitude = field('Latitude');
  const longitude = field('Longitude');
  const text =
    body !== undefined && body !== ''
      ? body
      : latitude !== undefined && longitude !== undefined
        ? describeLocation({ latitude, longitude, name: field('Label'), address: field('Address') })
        : undefined;

  const profileName = field('ProfileName');
  return {
    kind: 'messages',
    messages: [
      {
        provider,
        id,
        channel,
        kind: 'message',
        from,
        to,
        ...(text !== undefined && { text }),
        media: media(field),
        ...(profileName !== undefined && profileName !== '' && { profileName }),
        raw,
      },
    ],
    ignored: [],
  };
}

function required(field: (name: string) => string | undefined, name: string): string {
  const value = field(name);
  if (value === undefined || value.trim() === '') throw new ConnectChatError('MALFORMED_PAYLOAD', `${name}: missing`);
  return value.trim();
}

function address(value: string, name: string): string {
  const bare = value.toLowerCase().startsWith(WHATSAPP_PREFIX) ? value.slice(WHATSAPP_PREFIX.length).trim() : value;
  if (bare === '') throw new ConnectChatError('MALFORMED_PAYLOAD', `${name}: no address after "${WHATSAPP_PREFIX}"`);
  return bare;
}

function media(field: (name: string) => string | undefined): InboundMedia[] {
  const count = field('NumMedia');
  if (count === undefined || count === '') return [];
  if (!/^\d+$/.test(count) || Number(count) > MAX_MEDIA) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', `NumMedia: expected a whole number up to ${MAX_MEDIA}, got ${JSON.stringify(count.slice(0, 20))}`);
  }
  const items: InboundMedia[] = [];
  for (let index = 0; index < Number(count); index++) {
    const url = field(`MediaUrl${index}`);
    if (url === undefined || url === '') {
      throw new ConnectChatError('MALFORMED_PAYLOAD', `MediaUrl${index}: missing although NumMedia is ${count}`);
    }
    const contentType = field(`MediaContentType${index}`);
    items.push({ url, ...(contentType !== undefined && contentType !== '' && { contentType }) });
  }
  return items;
}
