import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SigV4Verifier } from '../auth/sigv4.ts';
import { isRecord } from '../invalid-option.ts';
import type { ChannelErrorName } from '../types.ts';
import { type ChannelContext, type ChannelWire, receiveChannelRequest } from './channel-request.ts';

/** End User Messaging's limit on `MessageBody`, in characters. */
export const smsMaxBodyLength = 1_600;
/** The `x-amz-target` of SendTextMessage. */
export const sendTextMessageTarget = 'PinpointSMSVoiceV2.SendTextMessage';
const jsonContentType = 'application/x-amz-json-1.0';
const e164 = /^\+?[1-9][0-9]{1,18}$/;

/**
 * An awsJson1.0 error as End User Messaging answers it: the name in `x-amzn-ErrorType` and the
 * body's `__type`, the text in `message`, plus the shape's own members.
 *
 * @example
 * sendSmsVoiceError(res, 400, 'ValidationException', 'MessageBody is too long', { Reason: 'FIELD_VALIDATION_FAILED' });
 */
export function sendSmsVoiceError(res: ServerResponse, status: number, name: string, message: string, members: Record<string, unknown> = {}): void {
  const text = JSON.stringify({ __type: name, message, ...members });
  res.writeHead(status, { 'content-type': jsonContentType, 'content-length': Buffer.byteLength(text), 'x-amzn-ErrorType': name });
  res.end(text);
}

const faults: Readonly<Record<ChannelErrorName, [number, string, string, Record<string, unknown>]>> = {
  ChannelThrottled: [400, 'ThrottlingException', 'Rate exceeded (injected by the emulator)', {}],
  ChannelUnavailable: [500, 'InternalServerException', 'Internal server error (injected by the emulator)', {}],
  RecipientOptedOut: [
    400,
    'ConflictException',
    'The destination phone number is opted out (injected by the emulator)',
    { Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', ResourceType: 'opt-out-list', ResourceId: 'Default' },
  ],
  WindowClosed: [400, 'ValidationException', 'The message cannot be sent to this destination now (injected by the emulator)', { Reason: 'OTHER' }],
};

function wireFor(requestId: string): ChannelWire {
  return {
    tooLarge: (res) => sendSmsVoiceError(res, 400, 'ValidationException', 'The request body is too large.', { Reason: 'CANNOT_PARSE' }),
    fault: (res, error) => {
      const [status, name, message, members] = faults[error];
      sendSmsVoiceError(res, status, name, message, name === 'InternalServerException' ? { RequestId: requestId } : members);
    },
  };
}

/** Why a SendTextMessage body is refused (a ValidationException message), or undefined. */
function invalidSendTextMessage(json: Record<string, unknown>): string | undefined {
  const { DestinationPhoneNumber: to, OriginationIdentity: from, MessageBody: body } = json;
  if (typeof to !== 'string' || !e164.test(to)) return 'DestinationPhoneNumber: must be a phone number in E.164 format';
  if (from !== undefined && (typeof from !== 'string' || from.length < 1 || from.length > 256)) return 'OriginationIdentity: must be 1..256 characters';
  // The service accepts a missing body (for configured templates); the emulator needs the text the phone shows.
  if (typeof body !== 'string' || body.length < 1) return 'MessageBody: the emulator needs a MessageBody of at least 1 character';
  if (body.length > smsMaxBodyLength) return `MessageBody: must be at most ${smsMaxBodyLength} characters, got ${body.length}`;
  return undefined;
}

/**
 * End User Messaging SMS's `SendTextMessage` (awsJson1.0 at `POST /` with
 * `x-amz-target: PinpointSMSVoiceV2.SendTextMessage`), SigV4 scoped to `sms-voice` checked by
 * `verifier`; 200 `{ MessageId }`. The message lands on the customer's phone (channel `sms`,
 * `from` the OriginationIdentity).
 *
 * @example
 * const sms = createSmsVoice(context, new SigV4Verifier(credentials, Date.now, 'sms-voice'));
 * if (req.headers['x-amz-target'] === sendTextMessageTarget) await sms(req, res, requestId);
 */
export function createSmsVoice(
  context: ChannelContext,
  verifier: SigV4Verifier,
): (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void> {
  return async (req, res, requestId) => {
    const target = req.headers['x-amz-target'];
    if (target !== sendTextMessageTarget) {
      return sendSmsVoiceError(res, 400, 'UnknownOperationException', `The emulator serves only ${sendTextMessageTarget}, not ${String(target).slice(0, 80)}.`);
    }
    const body = await receiveChannelRequest(context, 'SendTextMessage', req, res, wireFor(requestId), async (bytes) => {
      const auth = await verifier.verify({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body: bytes });
      if (auth.ok) return true;
      sendSmsVoiceError(res, auth.error === 'MissingAuthenticationTokenException' ? 400 : 403, auth.error, auth.message);
      return false;
    });
    if (!body) return;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return sendSmsVoiceError(res, 400, 'ValidationException', 'The request body is not valid JSON.', { Reason: 'CANNOT_PARSE' });
    }
    if (!isRecord(json)) return sendSmsVoiceError(res, 400, 'ValidationException', 'The request body must be a JSON object.', { Reason: 'CANNOT_PARSE' });
    const problem = invalidSendTextMessage(json);
    if (problem !== undefined) return sendSmsVoiceError(res, 400, 'ValidationException', problem, { Reason: 'FIELD_VALIDATION_FAILED' });
    const messageId = randomUUID();
    context.phone.receive({
      id: messageId,
      channel: 'sms',
      to: json['DestinationPhoneNumber'] as string,
      from: (json['OriginationIdentity'] as string | undefined) ?? '',
      text: json['MessageBody'] as string,
    });
    const text = JSON.stringify({ MessageId: messageId });
    res.writeHead(200, { 'content-type': jsonContentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}
