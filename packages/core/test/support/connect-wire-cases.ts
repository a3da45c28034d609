import { disconnectEvent, textMessage } from '../../src/model/builders.ts';
import type { ChatIntegrationEvent } from '../../src/model/types.ts';

// SendChatIntegrationEvent on the wire, case by case: the events whose requests a transport must
// write as the AWS SDK writes them, and the answers it must read as the SDK reads them.

export const chat = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p', Subtype: 'connect:sms' };

const everyMember = {
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p',
  Subtype: 'connect:WhatsApp',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Olá "quoted" \\ back\nslash\t\u0001 \u007f \u2028 😀 \ud800 lone' },
  NewSessionDetails: {
    SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
    ParticipantDetails: { DisplayName: 'Zoë' },
    Attributes: { channel: 'whatsapp', '10': 'a number-like key', ключ: 'значение' },
    StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:sns:us-east-1:123456789012:chat-stream' },
  },
} satisfies ChatIntegrationEvent;
// Members in another order, an undefined member, nulls in a list and a map, members the API does not have.
const untidy = {
  NewSessionDetails: { Attributes: { b: '2', gone: null, a: '1' }, SupportedMessagingContentTypes: ['text/plain', null], Extra: 'dropped' },
  Event: { Content: 'hi', Type: 'MESSAGE', ContentType: 'text/plain', Unknown: 1 },
  Subtype: undefined,
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p',
  SourceId: '+14155550100',
  Stray: { nested: true },
} as unknown as ChatIntegrationEvent;

/** Events to send, each with what it exercises. */
export const requestCases: Array<[string, ChatIntegrationEvent]> = [
  ['a text message', textMessage(chat, 'hi')],
  ['every member, with characters JSON must escape', everyMember],
  ['members out of order, undefined, null and unknown members', untidy],
  ['a DISCONNECT', disconnectEvent(chat)],
];

/** An answer from Connect (or from what stands in front of it). */
export interface WireAnswer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** Answers to read, each with what it exercises. */
export const answerCases: Array<[string, WireAnswer]> = [
  ['a new chat', { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' }],
  ['no chat (null contact id)', { status: 200, body: '{"InitialContactId":null,"NewChatCreated":false}' }],
  ['an empty body', { status: 200, body: '' }],
  [
    'an extended request id and a CloudFront id',
    { status: 200, headers: { 'x-amz-id-2': 'extended-2', 'x-amz-cf-id': 'cf-1' }, body: '{"NewChatCreated":true}' },
  ],
  ['members the API does not have', { status: 200, body: '{"InitialContactId":"c-2","Extra":"x","NewChatCreated":false,"$metadata":{}}' }],
  ['another request id header', { status: 200, headers: { 'x-amzn-requestid': '', 'x-amz-request-id': 'other-id' }, body: '{"NewChatCreated":true}' }],
  ['members of the wrong type', { status: 200, body: '{"InitialContactId":12,"NewChatCreated":"true"}' }],
  ['ThrottlingException in __type', { status: 429, body: '{"__type":"ThrottlingException","message":"Rate exceeded"}' }],
  ['a namespaced __type', { status: 429, body: '{"__type":"com.amazonaws.connect#ThrottlingException","Message":"slow down"}' }],
  ['InternalServiceException', { status: 500, body: '{"__type":"InternalServiceException","message":"boom"}' }],
  [
    'InvalidRequestException in the header, with a Reason',
    {
      status: 400,
      headers: { 'x-amzn-errortype': 'InvalidRequestException:http://internal.amazon.com/' },
      body: '{"Message":"Subtype is not supported","Reason":{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_NAME"}}',
    },
  ],
  ['the header before the body', { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: '{"__type":"ThrottlingException"}' }],
  ['a body code', { status: 400, body: '{"Code":"ValidationException","message":"bad"}' }],
  ['AccessDeniedException', { status: 403, body: '{"__type":"AccessDeniedException","Message":"not authorized"}' }],
  ['InvalidSignatureException', { status: 403, body: '{"__type":"InvalidSignatureException","message":"signature mismatch"}' }],
  ['ResourceNotFoundException', { status: 404, body: '{"__type":"ResourceNotFoundException","Message":"no such number"}' }],
  ['ConflictException', { status: 409, body: '{"__type":"ConflictException","message":"busy"}' }],
  ['a 502 without a name', { status: 502, body: '{"message":"bad gateway"}' }],
  ['a 500 with no body', { status: 500, body: '' }],
  ['an empty message', { status: 400, body: '{"__type":"InvalidRequestException","message":"","Message":"the real one"}' }],
  ['an HTML 503', { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>busy</html>' }],
  ['an HTML 403', { status: 403, headers: { 'content-type': 'text/html' }, body: '<html>forbidden</html>' }],
  ['an HTML 200', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>hello</html>' }],
  ['a JSON body with a byte order mark', { status: 200, body: '\ufeff{"NewChatCreated":true}' }],
  ['a redirect', { status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' }, body: '' }],
];
