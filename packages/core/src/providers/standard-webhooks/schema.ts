import { isRecord } from '../../options/toolkit.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { chatIntegrationConstraints } from '../../model/constraints.ts';
import type { Channel, InboundMedia, InboundMessage, InboundMessageKind } from '../../model/inbound-message.ts';

/** Body versions this release reads; docs/generic-webhook.md describes each. */
export const SUPPORTED_VERSIONS = [1] as const;

const TYPES: readonly InboundMessageKind[] = ['message', 'typing', 'delivered', 'read', 'disconnect'];
const CHANNELS: readonly Channel[] = ['sms', 'whatsapp', 'custom'];
const KEYS = ['version', 'type', 'from', 'to', 'text', 'media', 'displayName', 'receiptFor', 'channel', 'destinationId', 'subtype', 'attributes'];
const MEDIA_KEYS = ['url', 'contentType', 'caption'];
const MAX_MEDIA = 20;

/** Where a body breaks the schema, and how. */
interface Issue {
  path: string;
  message: string;
}

/**
 * Reads a generic webhook body (schema version 1) into an inbound message. Every problem is
 * reported at once, each with its field path, so a sender can fix its payload in one go. Unknown
 * fields are refused so typos surface; new fields arrive with a new version.
 */
export function parseGenericMessage(body: string, envelope: { provider: string; id: string; timestamp: string }): InboundMessage {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch (error) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'body: expected JSON', { cause: error });
  }
  if (!isRecord(payload)) throw fail([{ path: 'body', message: `expected a JSON object, got ${kindOf(payload)}` }]);
  if (payload.version === undefined) throw fail([{ path: 'version', message: `missing; supported versions: ${SUPPORTED_VERSIONS.join(', ')}` }]);
  if (!(SUPPORTED_VERSIONS as readonly unknown[]).includes(payload.version)) {
    throw fail([{ path: 'version', message: `unsupported version ${JSON.stringify(payload.version)}; supported versions: ${SUPPORTED_VERSIONS.join(', ')}` }]);
  }

  const issues: Issue[] = [];
  for (const key of Object.keys(payload)) {
    if (!KEYS.includes(key)) issues.push({ path: JSON.stringify(key.slice(0, 40)), message: `unknown field; version 1 fields are ${KEYS.join(', ')}` });
  }
  const type = oneOf(payload, 'type', TYPES, issues, true);
  const from = text(payload, 'from', issues, { required: true, max: chatIntegrationConstraints.SourceId.max });
  const to = text(payload, 'to', issues, { required: true, max: 255 });
  const messageText = text(payload, 'text', issues, {});
  const media = mediaList(payload.media, issues);
  const displayName = text(payload, 'displayName', issues, { max: chatIntegrationConstraints.DisplayName.max });
  const receiptFor = text(payload, 'receiptFor', issues, { max: 255 });
  const channel = oneOf(payload, 'channel', CHANNELS, issues, false) ?? 'custom';
  const destinationId = text(payload, 'destinationId', issues, { max: chatIntegrationConstraints.DestinationId.max });
  const subtype = text(payload, 'subtype', issues, { max: chatIntegrationConstraints.Subtype.max });
  const attributes = attributeMap(payload.attributes, issues);

  // Only when neither is given: an invalid text or media entry already has its own issue.
  const noMedia = payload.media === undefined || (Array.isArray(payload.media) && payload.media.length === 0);
  if (type === 'message' && payload.text === undefined && noMedia) {
    issues.push({ path: 'text', message: 'a message needs text, media or both' });
  }
  if (type !== undefined && type !== 'message') {
    if (payload.text !== undefined) issues.push({ path: 'text', message: `only allowed when type is "message", not "${type}"` });
    if (payload.media !== undefined) issues.push({ path: 'media', message: `only allowed when type is "message", not "${type}"` });
  }
  const isReceipt = type === 'delivered' || type === 'read';
  if (isReceipt && receiptFor === undefined && payload.receiptFor === undefined) {
    issues.push({ path: 'receiptFor', message: `required when type is "${type}": the id of the message the receipt is about` });
  }
  if (!isReceipt && type !== undefined && payload.receiptFor !== undefined) {
    issues.push({ path: 'receiptFor', message: `only allowed when type is "delivered" or "read", not "${type}"` });
  }
  if (issues.length > 0 || type === undefined || from === undefined || to === undefined) throw fail(issues);

  const hints = {
    ...(destinationId !== undefined && { destinationId }),
    ...(subtype !== undefined && { subtype }),
    ...(attributes !== undefined && { attributes }),
  };
  return {
    provider: envelope.provider,
    id: envelope.id,
    channel,
    kind: type,
    from,
    to,
    ...(messageText !== undefined && { text: messageText }),
    media,
    ...(displayName !== undefined && { profileName: displayName }),
    ...(receiptFor !== undefined && { receiptFor }),
    timestamp: envelope.timestamp,
    ...(Object.keys(hints).length > 0 && { hints }),
    raw: payload,
  };
}

function fail(issues: readonly Issue[]): ConnectChatError {
  return new ConnectChatError('MALFORMED_PAYLOAD', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
}

function text(item: Record<string, unknown>, key: string, issues: Issue[], rule: { required?: boolean; max?: number }, path = key): string | undefined {
  const value = item[key];
  if (value === undefined) {
    if (rule.required) issues.push({ path, message: 'required' });
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    issues.push({ path, message: `expected a non-empty string, got ${kindOf(value)}` });
    return undefined;
  }
  if (rule.max !== undefined && value.length > rule.max) {
    issues.push({ path, message: `expected at most ${rule.max} characters, got ${value.length}` });
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(item: Record<string, unknown>, key: string, allowed: readonly T[], issues: Issue[], required: boolean): T | undefined {
  const value = item[key];
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  issues.push({
    path: key,
    message: `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : kindOf(value)}`,
  });
  return undefined;
}

function mediaList(value: unknown, issues: Issue[]): InboundMedia[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path: 'media', message: `expected an array, got ${kindOf(value)}` });
    return [];
  }
  if (value.length > MAX_MEDIA) {
    issues.push({ path: 'media', message: `expected at most ${MAX_MEDIA} items, got ${value.length}` });
    return [];
  }
  return value.flatMap((entry: unknown, index): InboundMedia[] => {
    const path = `media[${index}]`;
    if (!isRecord(entry)) {
      issues.push({ path, message: `expected an object, got ${kindOf(entry)}` });
      return [];
    }
    for (const key of Object.keys(entry)) {
      if (!MEDIA_KEYS.includes(key))
        issues.push({ path: `${path}[${JSON.stringify(key.slice(0, 40))}]`, message: `unknown field; media fields are ${MEDIA_KEYS.join(', ')}` });
    }
    const url = text(entry, 'url', issues, { required: true, max: 2048 }, `${path}.url`);
    if (url !== undefined && !isHttpUrl(url)) issues.push({ path: `${path}.url`, message: 'expected an absolute http(s) URL' });
    const contentType = text(entry, 'contentType', issues, { max: 255 }, `${path}.contentType`);
    const caption = text(entry, 'caption', issues, { max: 1024 }, `${path}.caption`);
    if (url === undefined) return [];
    return [{ url, ...(contentType !== undefined && { contentType }), ...(caption !== undefined && { caption }) }];
  });
}

function attributeMap(value: unknown, issues: Issue[]): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    issues.push({ path: 'attributes', message: `expected an object of strings, got ${kindOf(value)}` });
    return undefined;
  }
  const attributes: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!chatIntegrationConstraints.attributeKey.pattern.test(key)) {
      issues.push({ path: `attributes[${JSON.stringify(key.slice(0, 40))}]`, message: 'keys may hold only letters, digits, "_" and "-"' });
    } else if (typeof entry !== 'string') {
      issues.push({ path: `attributes.${key}`, message: `expected a string, got ${kindOf(entry)}` });
    } else {
      attributes[key] = entry;
    }
  }
  return attributes;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === 'https:' || protocol === 'http:';
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return typeof value;
}
