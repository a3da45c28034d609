import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import type { ReceivedRequest } from '../../wire/types.ts';

/**
 * The three kinds of SNS HTTP(S) deliveries (`Type`, also sent as `x-amz-sns-message-type`).
 *
 * @example
 * const type = request.headers.get('x-amz-sns-message-type') as SnsMessageType | null;
 */
export type SnsMessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/**
 * An Amazon SNS HTTP(S) delivery envelope, member for member as SNS sends it (raw delivery off).
 *
 * @example
 * const envelope: SnsEnvelope = JSON.parse(await request.text());
 * if (envelope.Type === 'Notification') console.log(envelope.Message);
 */
export interface SnsEnvelope {
  Type: SnsMessageType;
  MessageId: string;
  TopicArn: string;
  /** Notification only, and only when the publisher gave one. */
  Subject?: string;
  Message: string;
  /** ISO 8601. */
  Timestamp: string;
  SignatureVersion: string;
  /** Base64 RSA signature over the fields of the string to sign. */
  Signature: string;
  SigningCertURL: string;
  /** Notification only. */
  UnsubscribeURL?: string;
  /** SubscriptionConfirmation and UnsubscribeConfirmation only. */
  SubscribeURL?: string;
  /** SubscriptionConfirmation and UnsubscribeConfirmation only. */
  Token?: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

const messageTypes: readonly string[] = ['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation'];
const alwaysRequired = ['MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL'] as const;
const turnOffRawDelivery = 'raw message delivery cannot be verified: turn RawMessageDelivery off on the subscription';

function malformed(message: string, cause?: unknown): ConnectChatError {
  return new ConnectChatError('MALFORMED_PAYLOAD', message, { cause });
}

/**
 * Reads the SNS envelope of a request whatever its content type (SNS posts JSON as text/plain).
 * Throws `MALFORMED_PAYLOAD` for raw deliveries, non-JSON bodies and envelopes missing a field.
 */
export function parseSnsEnvelope(request: ReceivedRequest): SnsEnvelope {
  if (request.headers.get('x-amz-sns-rawdelivery')?.trim().toLowerCase() === 'true') {
    throw malformed(`SNS delivery has x-amz-sns-rawdelivery: true; ${turnOffRawDelivery}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(request.text);
  } catch (error) {
    throw malformed(`SNS body is not JSON (if raw message delivery is on, ${turnOffRawDelivery})`, error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformed('SNS body is not a JSON object');
  }
  const fields = body as Record<string, unknown>;
  if (fields['Type'] === undefined && fields['Signature'] === undefined) {
    throw malformed(`SNS body has no envelope (Type, Signature); ${turnOffRawDelivery}`);
  }
  const type = fields['Type'];
  if (typeof type !== 'string' || !messageTypes.includes(type)) {
    throw malformed(`SNS Type: expected one of ${messageTypes.join(', ')}, got ${describe(type)}`);
  }
  const headerType = request.headers.get('x-amz-sns-message-type');
  if (headerType !== null && headerType !== type) {
    throw malformed(`x-amz-sns-message-type header (${headerType}) does not match the envelope Type (${type})`);
  }
  const required: string[] = [...alwaysRequired];
  if (type !== 'Notification') required.push('SubscribeURL', 'Token');
  for (const name of required) {
    if (typeof fields[name] !== 'string') throw malformed(`SNS ${type} ${name}: expected a string, got ${describe(fields[name])}`);
  }
  // Ruby's SDK verifier also treats a null Subject as absent; anything else non-string is not SNS.
  if (fields['Subject'] === null) delete fields['Subject'];
  if (fields['Subject'] !== undefined && typeof fields['Subject'] !== 'string') {
    throw malformed(`SNS Subject: expected a string when present, got ${describe(fields['Subject'])}`);
  }
  return fields as unknown as SnsEnvelope;
}

/**
 * The exact text SNS signs: each present field as `Name\nValue\n` in AWS's order. Confirmations
 * include `Token` (the old `sns-validator` package left it out of UnsubscribeConfirmation).
 */
export function snsStringToSign(envelope: SnsEnvelope): string {
  const names =
    envelope.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  let text = '';
  for (const name of names) {
    const value = (envelope as unknown as Record<string, unknown>)[name];
    if (typeof value === 'string') text += `${name}\n${value}\n`;
  }
  return text;
}

/** A short description of a value for error messages; never echoes long input back. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return value.length > 80 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return String(value);
  return `a ${typeof value}`;
}
