import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { describeValue } from '../options/toolkit.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { type ChatAddress, deliveredReceipt, disconnectEvent, readReceipt, textMessage, typingEvent } from '../model/builders.ts';
import { chatIntegrationConstraints as c } from '../model/constraints.ts';
import { splitText } from '../model/split-text.ts';
import type { ChatIntegrationEvent, NewSessionDetails } from '../model/types.ts';
import type { Channel, InboundMedia, InboundMessage } from '../model/inbound-message.ts';
import type { RouteOptions } from './types.ts';

const defaultSubtypes: Readonly<Record<Channel, string>> = {
  sms: 'connect:sms',
  whatsapp: 'connect:WhatsApp',
  custom: 'connect:sms',
};

/**
 * Turns one inbound message into the chat integration events that carry it, in order: one MESSAGE
 * (several when long text is split), or the EVENT / DISCONNECT its kind stands for. Every event is
 * built with the model's builders, so it is valid when returned. Throws `ConnectChatError`
 * `INVALID_EVENT` (422) when the message cannot be routed: an unknown number, media or long text
 * the route refuses, an empty message.
 *
 * @example
 * const events = await toChatIntegrationEvents(message, {
 *   destination: { '+12125550101': 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1' },
 * });
 * for (const event of events) await sender.send(event);
 */
export async function toChatIntegrationEvents(message: InboundMessage, route: RouteOptions): Promise<ChatIntegrationEvent[]> {
  const chat: ChatAddress = {
    SourceId: message.from,
    DestinationId: await destinationFor(message, route),
    Subtype: subtypeFor(message, route),
  };
  const builder = { allowUnknownSubtype: route.allowUnknownSubtype === true };
  const newSession = newSessionFor(message, route);
  switch (message.kind) {
    case 'message':
      return textFor(message, route, chat.Subtype).map((part) => textMessage(chat, part, { ...builder, newSession }));
    case 'typing':
      return [typingEvent(chat, { ...builder, newSession })];
    case 'delivered':
    case 'read': {
      if (typeof message.receiptFor !== 'string' || message.receiptFor.length === 0) {
        throw invalid('receiptFor', `a ${message.kind} receipt from ${message.provider} does not say which message it is about`);
      }
      const receipt = message.kind === 'read' ? readReceipt : deliveredReceipt;
      return [receipt(chat, message.receiptFor, { ...builder, newSession })];
    }
    case 'disconnect':
      // A DISCONNECT never creates a chat, so session details would be noise.
      return [disconnectEvent(chat, builder)];
    default:
      throw invalid('kind', `unknown message kind ${JSON.stringify(String((message as { kind: unknown }).kind))}`);
  }
}

async function destinationFor(message: InboundMessage, route: RouteOptions): Promise<string> {
  const hinted = message.hints?.destinationId;
  if (hinted !== undefined) return hinted;
  const { destination } = route;
  if (typeof destination === 'string') return destination;
  if (typeof destination === 'function') {
    const found = await destination(message);
    if (found === undefined) throw unknownNumber(message, 'the route.destination function returned undefined for it');
    if (typeof found !== 'string' || found.length === 0) {
      throw new ConnectChatError(
        'INVALID_OPTIONS',
        `route.destination: the function must return a DestinationId string or undefined, got ${describeValue(found)}`,
      );
    }
    return found;
  }
  for (const key of [message.to, ...(message.toAliases ?? [])]) {
    // Own keys only: a number must never match `constructor` or `__proto__` of the map.
    if (Object.hasOwn(destination, key)) return destination[key]!;
  }
  const known = Object.keys(destination).slice(0, 5).join(', ');
  throw unknownNumber(message, `route.destination has no entry for it${known ? ` (known: ${known}${Object.keys(destination).length > 5 ? ', …' : ''})` : ''}`);
}

/**
 * The answer says only that no DestinationId matched; which number it was and which are configured
 * is in `cause`, for logs and `onError`, never in the webhook's answer.
 */
function unknownNumber(message: InboundMessage, why: string): ConnectChatError {
  const aliases = message.toAliases?.length ? ` (also tried ${message.toAliases.join(', ')})` : '';
  const details = new Error(`No DestinationId for ${message.to}${aliases}: ${why}. Add the number to route.destination.`);
  return new ConnectChatError('INVALID_EVENT', 'No DestinationId is configured for the number this message was sent to; the details were logged.', {
    cause: details,
  });
}

function subtypeFor(message: InboundMessage, route: RouteOptions): string {
  return message.hints?.subtype ?? route.subtypes?.[message.channel] ?? defaultSubtypes[message.channel] ?? defaultSubtypes.custom;
}

function newSessionFor(message: InboundMessage, route: RouteOptions): NewSessionDetails {
  const session = route.session ?? {};
  const configured = typeof session.displayName === 'function' ? session.displayName(message) : session.displayName;
  const displayName = [configured, message.profileName?.trim(), message.from].find((name) => typeof name === 'string' && name.length > 0) ?? message.from;
  const attributes = typeof session.attributes === 'function' ? session.attributes(message) : session.attributes;
  const details: NewSessionDetails = {
    SupportedMessagingContentTypes: [...(session.supportedMessagingContentTypes ?? ['text/plain'])],
    ParticipantDetails: { DisplayName: truncate(displayName, c.DisplayName.max) },
    // `channel` and `provider` are reserved: contact flows branch on them, so nothing overrides them.
    Attributes: { ...attributes, ...message.hints?.attributes, channel: message.channel, provider: message.provider },
  };
  if (session.streamingEndpointArn !== undefined) details.StreamingConfiguration = { StreamingEndpointArn: session.streamingEndpointArn };
  return details;
}

/** The text parts to send, media folded in per the media policy and split per the long-text policy. */
function textFor(message: InboundMessage, route: RouteOptions, subtype: string | undefined): string[] {
  const text = message.text ?? '';
  const media = message.media ?? [];
  const policy = route.media ?? 'append-links';
  if (policy === 'reject' && media.length > 0) {
    throw invalid('media', `the message carries ${media.length} attachment(s) and route.media is 'reject'`);
  }
  let content = text;
  if (policy === 'append-links' && media.length > 0) {
    content = [text, ...media.map((item) => mediaLine(item, text))].filter((line) => line.length > 0).join('\n');
  } else if (policy === 'drop' && text.trim().length === 0 && media.length > 0) {
    content = '[attachment]';
  }
  if (content.trim().length === 0) throw invalid('text', `the message from ${message.provider} has no text and no media`);
  const phone = subtype !== undefined && (c.phoneSubtypes as readonly string[]).includes(subtype);
  const maxLength = phone ? c.phoneTextMaxLength : c.Content.max;
  const parts = splitText(content, maxLength);
  if (parts.length > 1 && route.longText === 'reject') {
    throw invalid('text', `the text is longer than ${maxLength} characters (Subtype ${subtype}) and route.longText is 'reject'`);
  }
  return parts;
}

function mediaLine(media: InboundMedia, text: string): string {
  const reference = media.url ?? `[${media.contentType?.split('/')[0] || 'attachment'}${media.id ? ` ${media.id}` : ''}]`;
  // Providers often repeat a caption as the message text; say it once.
  return media.caption && media.caption !== text ? `${reference} ${media.caption}` : reference;
}

function invalid(path: string, message: string): ValidationError {
  return new ValidationError([{ path: `message.${path}`, message }]);
}

function truncate(text: string, maxCodePoints: number): string {
  const points = Array.from(text);
  return points.length <= maxCodePoints ? text : points.slice(0, maxCodePoints).join('');
}
