import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { isRecord } from '../options/toolkit.ts';
import { ValidationError, type ValidationIssue } from '../errors/validation-error.ts';
import { codePointLength, utf8Length } from './code-points.ts';
import { chatIntegrationConstraints as c } from './constraints.ts';
import type { ChatIntegrationEvent } from './types.ts';

/**
 * Options of {@link validateChatIntegrationEvent}.
 *
 * @example
 * validateChatIntegrationEvent(event, { allowUnknownSubtype: true });
 */
export interface ValidateOptions {
  /** Accept Subtype values the API does not document (the service may add channels). Default false. */
  allowUnknownSubtype?: boolean;
}

type Issues = ValidationIssue[];
type Obj = Record<string, unknown>;

const topLevelMembers = ['SourceId', 'DestinationId', 'Subtype', 'Event', 'NewSessionDetails'];
const eventMembers = ['Type', 'ContentType', 'Content'];
const sessionMembers = ['SupportedMessagingContentTypes', 'ParticipantDetails', 'Attributes', 'StreamingConfiguration'];
const receiptTypes: readonly string[] = [c.eventContentTypes.delivered, c.eventContentTypes.read];
const eventContentTypes: readonly string[] = Object.values(c.eventContentTypes);

/**
 * Checks an event against every constraint of `SendChatIntegrationEvent` (see
 * `chatIntegrationConstraints`) and returns every problem with its path; `[]` when the event is
 * valid. Accepts any input: wrong types, missing and unknown members are reported, never thrown.
 * Lengths count Unicode code points, as the API model's length constraints do.
 *
 * @example
 * const issues = validateChatIntegrationEvent({ SourceId: '+15550100', DestinationId: 'arn:…', Event: { Type: 'MESSAGE' } });
 * // [{ path: 'Event.ContentType', message: 'required for MESSAGE events; …' }, { path: 'Event.Content', … }]
 */
export function validateChatIntegrationEvent(event: unknown, options: ValidateOptions = {}): ValidationIssue[] {
  checkOptions(options);
  const issues: Issues = [];
  if (!isRecord(event)) {
    issues.push({ path: '(event)', message: `expected an object with SourceId, DestinationId and Event, got ${describe(event)}` });
    return issues;
  }
  checkUnknownMembers(event, topLevelMembers, '', issues);
  const sourceIdOk = checkString(event['SourceId'], 'SourceId', c.SourceId, issues);
  checkString(event['DestinationId'], 'DestinationId', c.DestinationId, issues);
  const subtype = checkSubtype(event['Subtype'], options.allowUnknownSubtype === true, issues);
  const phone = subtype !== undefined && (c.phoneSubtypes as readonly string[]).includes(subtype);
  const sourceId = event['SourceId'] as string;
  if (phone && sourceIdOk && !c.e164.test(sourceId)) {
    issues.push({
      path: 'SourceId',
      message: `must be the customer's E.164 number (e.g. +14155550100) for Subtype ${subtype}, got ${JSON.stringify(truncate(sourceId))}`,
    });
  }
  checkEvent(event['Event'], phone ? subtype : undefined, issues);
  if (event['NewSessionDetails'] !== undefined) checkSession(event['NewSessionDetails'], issues);
  return issues;
}

/**
 * Throws a `ValidationError` (code `INVALID_EVENT`) listing every broken constraint; narrows the
 * input to `ChatIntegrationEvent` otherwise.
 *
 * @example
 * assertValidChatIntegrationEvent(body); // throws ValidationError: Invalid chat integration event: Event.Type: …
 * await client.send(new SendChatIntegrationEventCommand(body));
 */
export function assertValidChatIntegrationEvent(event: unknown, options: ValidateOptions = {}): asserts event is ChatIntegrationEvent {
  const issues = validateChatIntegrationEvent(event, options);
  if (issues.length > 0) throw new ValidationError(issues);
}

function checkOptions(options: unknown): void {
  if (!isRecord(options)) throw new ConnectChatError('INVALID_OPTIONS', `options: expected an object, got ${describe(options)}`);
  const allow = options['allowUnknownSubtype'];
  if (allow !== undefined && typeof allow !== 'boolean') {
    throw new ConnectChatError('INVALID_OPTIONS', `options.allowUnknownSubtype: expected a boolean, got ${describe(allow)}`);
  }
}

function checkSubtype(value: unknown, allowUnknown: boolean, issues: Issues): string | undefined {
  if (value === undefined) return undefined;
  if (!checkString(value, 'Subtype', c.Subtype, issues)) return undefined;
  const subtype = value as string;
  const known: readonly string[] = c.knownSubtypes;
  if (!allowUnknown && !known.includes(subtype)) {
    const sameIgnoringCase = known.find((k) => k.toLowerCase() === subtype.toLowerCase());
    const hint = sameIgnoringCase ? ` (did you mean ${sameIgnoringCase}?)` : '';
    issues.push({
      path: 'Subtype',
      message: `unknown Subtype ${JSON.stringify(truncate(subtype))}${hint}; expected one of ${known.join(', ')}, or set allowUnknownSubtype to send it anyway`,
    });
  }
  return subtype;
}

function checkEvent(value: unknown, phoneSubtype: string | undefined, issues: Issues): void {
  if (value === undefined) {
    issues.push({ path: 'Event', message: 'required; expected an object { Type, ContentType?, Content? }' });
    return;
  }
  if (!isRecord(value)) {
    issues.push({ path: 'Event', message: `expected an object { Type, ContentType?, Content? }, got ${describe(value)}` });
    return;
  }
  checkUnknownMembers(value, eventMembers, 'Event.', issues);
  const type = value['Type'];
  const types: readonly string[] = c.eventTypes;
  const { ContentType: contentType, Content: content } = value;
  const contentTypeOk = contentType === undefined || checkString(contentType, 'Event.ContentType', c.ContentType, issues);
  const contentOk = content === undefined || checkString(content, 'Event.Content', c.Content, issues);
  if (typeof type !== 'string' || !types.includes(type)) {
    const got = type === undefined ? 'nothing' : typeof type === 'string' ? JSON.stringify(truncate(type)) : describe(type);
    issues.push({ path: 'Event.Type', message: `expected one of ${types.join(', ')}, got ${got}` });
    return;
  }
  if (type === 'DISCONNECT') {
    if (contentType !== undefined) issues.push({ path: 'Event.ContentType', message: 'DISCONNECT events carry no ContentType; remove it' });
    if (content !== undefined) issues.push({ path: 'Event.Content', message: 'DISCONNECT events carry no Content; remove it' });
    return;
  }
  if (contentType === undefined) {
    const expected = type === 'MESSAGE' ? c.messageContentTypes : eventContentTypes;
    issues.push({ path: 'Event.ContentType', message: `required for ${type} events; expected one of ${expected.join(', ')}` });
  }
  if (type === 'MESSAGE') {
    if (content === undefined) issues.push({ path: 'Event.Content', message: 'required for MESSAGE events; expected the message text' });
    if (contentType !== undefined && contentTypeOk) checkMessageContentType(contentType as string, phoneSubtype, issues);
    if (phoneSubtype !== undefined && contentType === 'text/plain' && contentOk && typeof content === 'string') {
      const length = codePointLength(content);
      if (length > c.phoneTextMaxLength) {
        issues.push({
          path: 'Event.Content',
          message: `text/plain on ${phoneSubtype} allows at most ${c.phoneTextMaxLength} characters, got ${length}; split it into several MESSAGE events (see splitText, or the route's longText: 'split' policy)`,
        });
      }
    }
    return;
  }
  if (contentType === undefined || !contentTypeOk) return;
  checkEventContent(contentType as string, content, contentOk, issues);
}

function checkMessageContentType(contentType: string, phoneSubtype: string | undefined, issues: Issues): void {
  const allowed: readonly string[] = c.messageContentTypes;
  if (phoneSubtype !== undefined && contentType !== 'text/plain') {
    issues.push({ path: 'Event.ContentType', message: `${phoneSubtype} chats accept only text/plain messages, got ${JSON.stringify(contentType)}` });
  } else if (!allowed.includes(contentType)) {
    issues.push({
      path: 'Event.ContentType',
      message: `not a MESSAGE content type: expected one of ${allowed.join(', ')}, got ${JSON.stringify(contentType)}`,
    });
  }
}

function checkEventContent(contentType: string, content: unknown, contentOk: boolean, issues: Issues): void {
  if ((c.deprecatedEventContentTypes as readonly string[]).includes(contentType)) {
    issues.push({
      path: 'Event.ContentType',
      message: `${contentType} is deprecated by AWS since 2024-12-31 and no longer accepted; use ${c.eventContentTypes.delivered} or ${c.eventContentTypes.read}`,
    });
    return;
  }
  if (!eventContentTypes.includes(contentType)) {
    issues.push({
      path: 'Event.ContentType',
      message: `not an EVENT content type: expected one of ${eventContentTypes.join(', ')}, got ${JSON.stringify(contentType)}`,
    });
    return;
  }
  if (contentType === c.eventContentTypes.typing) {
    if (content !== undefined) issues.push({ path: 'Event.Content', message: 'typing events carry no Content; remove it' });
    return;
  }
  if (content === undefined) {
    issues.push({ path: 'Event.Content', message: `required for ${contentType}; expected JSON {"messageId":"<id of the message>"}` });
    return;
  }
  if (contentOk && receiptTypes.includes(contentType) && !hasMessageId(content as string)) {
    issues.push({
      path: 'Event.Content',
      message: `expected JSON {"messageId":"<id of the message>"} with a non-empty messageId, got ${JSON.stringify(truncate(content as string))}`,
    });
  }
}

function hasMessageId(content: string): boolean {
  try {
    const parsed: unknown = JSON.parse(content);
    return isRecord(parsed) && typeof parsed['messageId'] === 'string' && parsed['messageId'].length > 0;
  } catch {
    return false;
  }
}

function checkSession(value: unknown, issues: Issues): void {
  const path = 'NewSessionDetails';
  if (!isRecord(value)) {
    issues.push({ path, message: `expected an object, got ${describe(value)}` });
    return;
  }
  checkUnknownMembers(value, sessionMembers, `${path}.`, issues);
  const types = value['SupportedMessagingContentTypes'];
  if (types !== undefined) checkSupportedTypes(types, `${path}.SupportedMessagingContentTypes`, issues);
  const participant = value['ParticipantDetails'];
  if (participant !== undefined) {
    const p = `${path}.ParticipantDetails`;
    if (!isRecord(participant)) {
      issues.push({ path: p, message: `expected an object { DisplayName }, got ${describe(participant)}` });
    } else {
      checkUnknownMembers(participant, ['DisplayName'], `${p}.`, issues);
      checkString(participant['DisplayName'], `${p}.DisplayName`, c.DisplayName, issues);
    }
  }
  const attributes = value['Attributes'];
  if (attributes !== undefined) checkAttributes(attributes, `${path}.Attributes`, issues);
  const streaming = value['StreamingConfiguration'];
  if (streaming !== undefined) {
    const p = `${path}.StreamingConfiguration`;
    if (!isRecord(streaming)) {
      issues.push({ path: p, message: `expected an object { StreamingEndpointArn }, got ${describe(streaming)}` });
    } else {
      checkUnknownMembers(streaming, ['StreamingEndpointArn'], `${p}.`, issues);
      checkStreamingArn(streaming['StreamingEndpointArn'], `${p}.StreamingEndpointArn`, issues);
    }
  }
}

function checkSupportedTypes(value: unknown, path: string, issues: Issues): void {
  if (!Array.isArray(value)) {
    issues.push({ path, message: `expected an array of content types containing ${c.requiredSupportedContentType}, got ${describe(value)}` });
    return;
  }
  for (const [index, item] of value.entries()) checkString(item, `${path}[${index}]`, c.SupportedMessagingContentType, issues);
  if (!value.includes(c.requiredSupportedContentType)) {
    issues.push({ path, message: `must contain ${c.requiredSupportedContentType}` });
  }
}

function checkAttributes(value: unknown, path: string, issues: Issues): void {
  if (!isRecord(value)) {
    issues.push({ path, message: `expected an object of string values, got ${describe(value)}` });
    return;
  }
  let totalBytes = 0;
  for (const [key, attribute] of Object.entries(value)) {
    const keyLength = key.length;
    if (keyLength < c.attributeKey.min || keyLength > c.attributeKey.max || !c.attributeKey.pattern.test(key)) {
      issues.push({
        path: `${path}.${key}`,
        message: `attribute names are ${c.attributeKey.min}..${c.attributeKey.max} characters of letters, digits, - and _, got ${JSON.stringify(truncate(key))}`,
      });
    }
    totalBytes += utf8Length(key);
    if (typeof attribute !== 'string') {
      issues.push({ path: `${path}.${key}`, message: `expected a string value, got ${describe(attribute)}` });
      continue;
    }
    checkLength(attribute, `${path}.${key}`, c.attributeValue, issues);
    totalBytes += utf8Length(attribute);
  }
  if (totalBytes > c.attributesTotalBytes) {
    issues.push({
      path,
      message: `all names and values together must be at most ${c.attributesTotalBytes} UTF-8 bytes, got ${totalBytes}; move large data elsewhere`,
    });
  }
}

function checkStreamingArn(value: unknown, path: string, issues: Issues): void {
  if (!checkString(value, path, c.StreamingEndpointArn, issues)) return;
  const arn = value as string;
  if (arn.endsWith('.fifo')) {
    issues.push({ path, message: `chat streaming needs a standard SNS topic; FIFO topics (.fifo) are not supported, got ${JSON.stringify(arn)}` });
  } else if (!c.StreamingEndpointArn.pattern.test(arn)) {
    issues.push({ path, message: `expected an SNS topic ARN like arn:aws:sns:us-east-1:123456789012:my-topic, got ${JSON.stringify(truncate(arn))}` });
  }
}

/** Reports a missing, non-string or out-of-range string; true when the value is a valid string. */
function checkString(value: unknown, path: string, range: { min: number; max: number }, issues: Issues): boolean {
  if (value === undefined) {
    issues.push({ path, message: `required; expected a string of ${range.min}..${range.max} characters` });
    return false;
  }
  if (typeof value !== 'string') {
    issues.push({ path, message: `expected a string of ${range.min}..${range.max} characters, got ${describe(value)}` });
    return false;
  }
  return checkLength(value, path, range, issues);
}

function checkLength(value: string, path: string, range: { min: number; max: number }, issues: Issues): boolean {
  const length = codePointLength(value);
  if (length < range.min) {
    issues.push({ path, message: `must not be empty (at least ${range.min} character${range.min === 1 ? '' : 's'})` });
    return false;
  }
  if (length > range.max) {
    issues.push({ path, message: `must be at most ${range.max} characters, got ${length}` });
    return false;
  }
  return true;
}

function checkUnknownMembers(value: Obj, known: readonly string[], prefix: string, issues: Issues): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const sameIgnoringCase = known.find((k) => k.toLowerCase() === key.toLowerCase());
      const hint = sameIgnoringCase ? `did you mean ${sameIgnoringCase}?` : `expected only ${known.join(', ')}`;
      issues.push({ path: `${prefix}${key}`, message: `unknown member (the API would drop it); ${hint}` });
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`.slice(0, 60);
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
