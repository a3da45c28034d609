import type { ChatIntegrationEvent } from '../model/types.ts';
import type { HeaderLookup } from '../wire/types.ts';
import { concatBytes } from '../wire/bytes.ts';

// SendChatIntegrationEvent on the wire (restJson1), written and read as @aws-sdk/client-connect
// 3.1136 does (its schema serde in @smithy/core and @aws-sdk/core), so a transport that calls
// Connect with fetch sends the same bytes and sees the same errors as the SDK transport.

/** A member's shape in the API model: a string (or anything written as it is), a list, a map, or a structure. */
type Shape = 'value' | 'list' | 'map' | { readonly [member: string]: Shape };

/** `SendChatIntegrationEventRequest`, members in the model's order (the SDK writes them in this order: Event before Subtype). */
const requestShape: Shape = {
  SourceId: 'value',
  DestinationId: 'value',
  Event: { Type: 'value', ContentType: 'value', Content: 'value' },
  Subtype: 'value',
  NewSessionDetails: {
    SupportedMessagingContentTypes: 'list',
    ParticipantDetails: { DisplayName: 'value' },
    Attributes: 'map',
    StreamingConfiguration: { StreamingEndpointArn: 'value' },
  },
};

/**
 * The request body the SDK sends for `event`: modeled members only, in the model's order, null and
 * undefined members (and null list items and map values) left out, strings escaped as JSON.stringify
 * escapes them (the SDK's writer escapes the same characters the same way).
 */
export function chatIntegrationEventBody(event: ChatIntegrationEvent): string {
  return JSON.stringify(shaped(event, requestShape));
}

function shaped(value: unknown, shape: Shape): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (shape === 'list' && Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined);
  if (shape === 'map') return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== null && item !== undefined));
  if (typeof shape !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [member, memberShape] of Object.entries(shape)) {
    const item = (value as Record<string, unknown>)[member];
    if (item !== null && item !== undefined) out[member] = shaped(item, memberShape);
  }
  return out;
}

/** What the SDK keeps of an answer as `$metadata`. */
export interface AnswerMetadata {
  httpStatusCode: number;
  requestId: string | undefined;
}

/** `$metadata` of an answer: the request id from the first header the SDK looks in. */
export function answerMetadata(status: number, headers: HeaderLookup): AnswerMetadata {
  const requestId = headers.get('x-amzn-requestid') ?? headers.get('x-amzn-request-id') ?? headers.get('x-amz-request-id') ?? undefined;
  return { httpStatusCode: status, requestId };
}

// The SDK reads bodies as UTF-8 without dropping a byte order mark, so a BOM makes JSON.parse fail there too.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A JSON body as the SDK decodes it: `{}` when empty, else `JSON.parse` of its UTF-8 text (throwing
 * the `SyntaxError` the SDK throws when it is not JSON).
 */
export function decodeJsonBody(body: Uint8Array): unknown {
  return body.byteLength === 0 ? {} : JSON.parse(decoder.decode(body));
}

/**
 * Connect's JSON answer, or what the SDK throws when it is not JSON: the `SyntaxError`, carrying
 * `$metadata`, which `toSendError` reports as a body that is not Connect's.
 */
export function parseAnswerBody(body: Uint8Array, metadata: AnswerMetadata): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = decodeJsonBody(body);
  } catch (error) {
    throw Object.assign(error as SyntaxError, { $metadata: metadata });
  }
  return typeof parsed === 'object' && parsed !== null ? { ...(parsed as Record<string, unknown>) } : {};
}

/**
 * The error the SDK throws for a non-2xx answer, in the shape `toSendError` reads: `name` from the
 * `x-amzn-ErrorType` header, else the body's `code`, else its `__type` (text after `:` dropped, after
 * `#` kept), `Unknown` when none; `message` from the body's `message` or `Message`; the body's other
 * members (e.g. `Reason`) copied; `$metadata` with the status and request id.
 */
export function restJsonError(status: number, headers: HeaderLookup, body: Uint8Array): Error {
  const $metadata = answerMetadata(status, headers);
  const data = parseAnswerBody(body, $metadata);
  let name: string;
  try {
    name = errorCode(headers, data) ?? 'Unknown';
  } catch (error) {
    // A code that is neither a string nor a number: the SDK's own TypeError, with the answer's metadata.
    return Object.assign(error as TypeError, { $metadata });
  }
  const { message: lower, Message: upper } = data;
  const message = (lower ?? upper ?? 'UnknownError') || upper || 'UnknownError';
  // The body's other members (Reason, …) as the SDK copies them; never a JSON "__proto__" key, which assigning would turn into a prototype.
  const members = Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'message' && key !== 'Message' && key !== '__proto__'));
  const error = Object.assign(new Error(), members, { $fault: status < 500 ? 'client' : 'server', $metadata });
  error.name = name;
  error.message = message as string;
  return error;
}

function errorCode(headers: HeaderLookup, data: Record<string, unknown>): string | undefined {
  const header = headers.get('x-amzn-errortype');
  if (header !== null) return sanitizeErrorCode(header);
  const codeKey = Object.keys(data).find((key) => key.toLowerCase() === 'code');
  if (codeKey !== undefined && data[codeKey] !== undefined) return sanitizeErrorCode(data[codeKey]);
  if (data['__type'] !== undefined) return sanitizeErrorCode(data['__type']);
  return undefined;
}

function sanitizeErrorCode(raw: unknown): string {
  if (typeof raw !== 'string' && typeof raw !== 'number') throw new TypeError(`cannot read an error code from ${typeof raw}`);
  let code = String(raw);
  if (code.includes(',')) code = code.split(',')[0]!;
  if (code.includes(':')) code = code.split(':')[0]!;
  if (code.includes('#')) code = code.split('#')[1]!;
  return code;
}

/**
 * Reads at most `limit` bytes of a response body; `undefined` (and the rest cancelled) when it is
 * longer, so a misbehaving endpoint cannot make the sender buffer without bound.
 */
export async function readBodyUpTo(response: Response, limit: number): Promise<Uint8Array | undefined> {
  if (response.body === null) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    await response.body.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return concatBytes(chunks, length);
}
