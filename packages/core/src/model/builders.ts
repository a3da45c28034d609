import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { describeValue } from '../options/toolkit.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { chatIntegrationConstraints as c } from './constraints.ts';
import type { ChatEvent, ChatIntegrationEvent, NewSessionDetails } from './types.ts';
import { validateChatIntegrationEvent } from './validate.ts';

/**
 * Which chat an event belongs to: the triple Connect uses to find the active chat. For SMS and
 * WhatsApp, SourceId is the customer's E.164 number and DestinationId the number's ARN.
 *
 * @example
 * const chat: ChatAddress = { SourceId: '+14155550100', DestinationId: phoneNumberArn, Subtype: 'connect:sms' };
 */
export interface ChatAddress {
  SourceId: string;
  DestinationId: string;
  /** e.g. `connect:sms` or `connect:WhatsApp`; left out of the event when absent. */
  Subtype?: string;
}

/**
 * Options every builder accepts.
 *
 * @example
 * disconnectEvent({ SourceId: 'tg-42', DestinationId: arn, Subtype: 'connect:Telegram' }, { allowUnknownSubtype: true });
 */
export interface EventBuilderOptions {
  /** Accept Subtype values the API does not document. Default false. */
  allowUnknownSubtype?: boolean;
}

/**
 * Options of the builders whose event can start a chat: the message, typing and receipts.
 *
 * @example
 * typingEvent(chat, { newSession: { ParticipantDetails: { DisplayName: 'Ann' } } });
 */
export interface SessionEventOptions extends EventBuilderOptions {
  /** Shapes the chat if this event creates one. */
  newSession?: NewSessionDetails;
}

/**
 * Options of {@link textMessage}.
 *
 * @example
 * textMessage(chat, 'Hi', { newSession: { ParticipantDetails: { DisplayName: 'Ann' }, Attributes: { channel: 'sms' } } });
 */
export interface TextMessageOptions extends SessionEventOptions {
  /** Default `text/plain`, the only type SMS and WhatsApp chats accept. */
  contentType?: string;
}

/**
 * A customer's text message. Throws a `ValidationError` naming the field when the result would
 * break a constraint (e.g. text/plain over 1,024 characters on SMS: use `splitText`).
 *
 * @example
 * const chat = { SourceId: '+14155550100', DestinationId: phoneNumberArn, Subtype: 'connect:sms' };
 * await sender.send(textMessage(chat, 'Hello, I need help with my order'));
 */
export function textMessage(chat: ChatAddress, text: string, options: TextMessageOptions = {}): ChatIntegrationEvent {
  checkOptions(options, ['newSession', 'contentType', 'allowUnknownSubtype']);
  if (typeof text !== 'string') throw new ConnectChatError('INVALID_OPTIONS', `text: expected a string, got ${describeValue(text)}`);
  const event = eventFor(chat, { Type: 'MESSAGE', ContentType: options.contentType ?? 'text/plain', Content: text });
  return checked(withSession(event, options), options);
}

/**
 * The customer is typing.
 *
 * @example
 * await sender.send(typingEvent(chat));
 */
export function typingEvent(chat: ChatAddress, options: SessionEventOptions = {}): ChatIntegrationEvent {
  checkOptions(options, ['newSession', 'allowUnknownSubtype']);
  return checked(withSession(eventFor(chat, { Type: 'EVENT', ContentType: c.eventContentTypes.typing }), options), options);
}

/**
 * The customer's device received the agent's message `messageId`.
 *
 * @example
 * await sender.send(deliveredReceipt(chat, 'f1f5c3b2-…'));
 */
export function deliveredReceipt(chat: ChatAddress, messageId: string, options: SessionEventOptions = {}): ChatIntegrationEvent {
  return receipt(chat, messageId, c.eventContentTypes.delivered, options);
}

/**
 * The customer read the agent's message `messageId`.
 *
 * @example
 * await sender.send(readReceipt(chat, 'f1f5c3b2-…'));
 */
export function readReceipt(chat: ChatAddress, messageId: string, options: SessionEventOptions = {}): ChatIntegrationEvent {
  return receipt(chat, messageId, c.eventContentTypes.read, options);
}

/**
 * The customer left: ends the active chat (Connect answers with no contact when none is active).
 *
 * @example
 * await sender.send(disconnectEvent(chat));
 */
export function disconnectEvent(chat: ChatAddress, options: EventBuilderOptions = {}): ChatIntegrationEvent {
  checkOptions(options, ['allowUnknownSubtype']);
  return checked(eventFor(chat, { Type: 'DISCONNECT' }), options);
}

function receipt(chat: ChatAddress, messageId: string, contentType: string, options: SessionEventOptions): ChatIntegrationEvent {
  checkOptions(options, ['newSession', 'allowUnknownSubtype']);
  if (typeof messageId !== 'string' || messageId.length === 0) {
    throw new ConnectChatError('INVALID_OPTIONS', `messageId: expected a non-empty string, got ${describeValue(messageId)}`);
  }
  return checked(withSession(eventFor(chat, { Type: 'EVENT', ContentType: contentType, Content: JSON.stringify({ messageId }) }), options), options);
}

function withSession(event: ChatIntegrationEvent, options: SessionEventOptions): ChatIntegrationEvent {
  if (options.newSession !== undefined) event.NewSessionDetails = options.newSession;
  return event;
}

function eventFor(chat: ChatAddress, event: ChatEvent): ChatIntegrationEvent {
  if (typeof chat !== 'object' || chat === null || Array.isArray(chat)) {
    throw new ConnectChatError('INVALID_OPTIONS', `chat: expected { SourceId, DestinationId, Subtype? }, got ${describeValue(chat)}`);
  }
  for (const key of Object.keys(chat)) {
    if (key !== 'SourceId' && key !== 'DestinationId' && key !== 'Subtype') {
      throw new ConnectChatError('INVALID_OPTIONS', `chat.${key}: unknown member; expected only SourceId, DestinationId, Subtype`);
    }
  }
  const result: ChatIntegrationEvent = { SourceId: chat.SourceId, DestinationId: chat.DestinationId, Event: event };
  if (chat.Subtype !== undefined) result.Subtype = chat.Subtype;
  return result;
}

function checked(event: ChatIntegrationEvent, options: EventBuilderOptions): ChatIntegrationEvent {
  const issues = validateChatIntegrationEvent(event, { allowUnknownSubtype: options.allowUnknownSubtype === true });
  if (issues.length > 0) throw new ValidationError(issues, { event });
  return event;
}

function checkOptions(options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object, got ${describeValue(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ConnectChatError('INVALID_OPTIONS', `options.${key}: unknown option; expected ${known.join(', ')}`);
  }
  const allow = (options as Record<string, unknown>)['allowUnknownSubtype'];
  if (allow !== undefined && typeof allow !== 'boolean') {
    throw new ConnectChatError('INVALID_OPTIONS', `options.allowUnknownSubtype: expected a boolean, got ${describeValue(allow)}`);
  }
}
