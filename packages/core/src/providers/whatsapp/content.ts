import { isRecord } from '../../options/toolkit.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { describeLocation } from '../location.ts';
import type { InboundMedia } from '../../model/inbound-message.ts';

/** What one WhatsApp message carries: content to send, or why it is ignored on purpose. */
export type WhatsAppContent = { text?: string; media: InboundMedia[] } | { ignored: string };

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);

/**
 * The text and media of one Cloud API message by its `type`. Media keeps Meta's media id (Meta
 * gives no URL); a caption becomes the text, as Twilio does for WhatsApp media, so it reaches the
 * agent whatever the route's media policy. Locations, contacts and replies become text.
 */
export function whatsAppContent(message: Record<string, unknown>, type: string, path: string): WhatsAppContent {
  const body = message[type];
  const at = `${path}.${type}`;
  if (type === 'text') return { text: requiredString(record(body, at), 'body', at), media: [] };
  if (MEDIA_TYPES.has(type)) {
    const item = record(body, at);
    const caption = optionalString(item, 'caption', at);
    const label = caption ?? optionalString(item, 'filename', at);
    const url = optionalString(item, 'url', at);
    const contentType = optionalString(item, 'mime_type', at);
    const media: InboundMedia = {
      id: requiredString(item, 'id', at),
      ...(url !== undefined && { url }),
      ...(contentType !== undefined && { contentType }),
      ...(label !== undefined && { caption: label }),
    };
    return { ...(caption !== undefined && caption !== '' && { text: caption }), media: [media] };
  }
  switch (type) {
    case 'location': {
      const item = record(body, at);
      return {
        text: describeLocation({
          latitude: coordinate(item, 'latitude', at),
          longitude: coordinate(item, 'longitude', at),
          name: optionalString(item, 'name', at),
          address: optionalString(item, 'address', at),
        }),
        media: [],
      };
    }
    case 'contacts':
      return { text: describeContacts(body, at), media: [] };
    case 'interactive':
      return { text: interactiveReply(record(body, at), at), media: [] };
    case 'button': {
      const item = record(body, at);
      return { text: optionalString(item, 'text', at) ?? requiredString(item, 'payload', at), media: [] };
    }
    case 'reaction': {
      const item = isRecord(body) ? body : {};
      const emoji = typeof item.emoji === 'string' && item.emoji !== '' ? item.emoji : 'removed';
      return { ignored: `whatsapp reaction (${emoji}) to ${typeof item.message_id === 'string' ? item.message_id : 'a message'}` };
    }
    case 'system': {
      const kind = isRecord(body) && typeof body.type === 'string' ? body.type : 'unknown';
      return { ignored: `whatsapp system message (${kind})` };
    }
    default:
      return { ignored: `whatsapp message type "${type}" is not forwarded` };
  }
}

function describeContacts(value: unknown, at: string): string {
  if (!Array.isArray(value) || value.length === 0) throw malformed(at, 'expected a non-empty array', value);
  return value
    .map((contact: unknown, index) => {
      const item = record(contact, `${at}[${index}]`);
      const name = isRecord(item.name) && typeof item.name.formatted_name === 'string' ? item.name.formatted_name : undefined;
      const phones = Array.isArray(item.phones) ? item.phones.flatMap((p: unknown) => (isRecord(p) && typeof p.phone === 'string' ? [p.phone] : [])) : [];
      const emails = Array.isArray(item.emails) ? item.emails.flatMap((e: unknown) => (isRecord(e) && typeof e.email === 'string' ? [e.email] : [])) : [];
      return `Contact: ${[name ?? 'unnamed', ...phones, ...emails].join(', ')}`;
    })
    .join('\n');
}

function interactiveReply(item: Record<string, unknown>, at: string): string {
  const kind = requiredString(item, 'type', at);
  const reply = record(item[kind], `${at}.${kind}`);
  if (kind === 'button_reply' || kind === 'list_reply') return requiredString(reply, 'title', `${at}.${kind}`);
  if (kind === 'nfm_reply') {
    return optionalString(reply, 'body', `${at}.${kind}`) ?? requiredString(reply, 'response_json', `${at}.${kind}`);
  }
  const title = optionalString(reply, 'title', `${at}.${kind}`);
  if (title === undefined) throw malformed(`${at}.type`, 'expected button_reply, list_reply or nfm_reply', kind);
  return title;
}

export function record(value: unknown, at: string): Record<string, unknown> {
  if (!isRecord(value)) throw malformed(at, 'expected an object', value);
  return value;
}

export function requiredString(item: Record<string, unknown>, key: string, at: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value === '') throw malformed(`${at}.${key}`, 'expected a non-empty string', value);
  return value;
}

export function optionalString(item: Record<string, unknown>, key: string, at: string): string | undefined {
  const value = item[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw malformed(`${at}.${key}`, 'expected a string', value);
  return value;
}

function coordinate(item: Record<string, unknown>, key: string, at: string): number {
  const value = item[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw malformed(`${at}.${key}`, 'expected a number', value);
  return value;
}

export function malformed(path: string, expected: string, value: unknown): ConnectChatError {
  const got = value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  return new ConnectChatError('MALFORMED_PAYLOAD', `${path}: ${expected}, got ${got}`);
}
