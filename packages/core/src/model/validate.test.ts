import { describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { ValidationError } from '../errors/validation-error.ts';
import { chatIntegrationConstraints as c } from './constraints.ts';
import { assertValidChatIntegrationEvent, validateChatIntegrationEvent } from './validate.ts';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:chat-stream';
const phoneArn = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef';

function smsMessage(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    SourceId: '+14155550100',
    DestinationId: phoneArn,
    Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' },
    ...overrides,
  };
}

function withEvent(event: unknown, subtype: string | null = 'connect:sms'): Record<string, unknown> {
  const base = smsMessage({ Event: event });
  if (subtype === null) delete base['Subtype'];
  else base['Subtype'] = subtype;
  return base;
}

function withSession(session: unknown): Record<string, unknown> {
  return smsMessage({ NewSessionDetails: session });
}

const receipt = (contentType: string, content?: string) =>
  content === undefined ? { Type: 'EVENT', ContentType: contentType } : { Type: 'EVENT', ContentType: contentType, Content: content };

const valid: Array<[string, unknown, { allowUnknownSubtype?: boolean }?]> = [
  ['an SMS text message', smsMessage()],
  [
    'a WhatsApp message of exactly 1,024 characters',
    smsMessage({ Subtype: 'connect:WhatsApp', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(1024) } }),
  ],
  ['1,024 emoji (code points, not UTF-16 units)', smsMessage({ Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: '😀'.repeat(1024) } })],
  ['connect:SMS spelling', smsMessage({ Subtype: 'connect:SMS' })],
  ['no Subtype, any SourceId, markdown', withEvent({ Type: 'MESSAGE', ContentType: 'text/markdown', Content: '*hi*' }, null)],
  [
    'no Subtype, 16,384 characters',
    { SourceId: 'user-1', DestinationId: 'd', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(16_384) } },
  ],
  [
    'every MESSAGE content type without Subtype',
    withEvent({ Type: 'MESSAGE', ContentType: 'application/vnd.amazonaws.connect.message.interactive.response', Content: '{}' }, null),
  ],
  ['typing', withEvent({ Type: 'EVENT', ContentType: c.eventContentTypes.typing })],
  ['delivered receipt', withEvent(receipt(c.eventContentTypes.delivered, '{"messageId":"m-1"}'))],
  ['read receipt', withEvent(receipt(c.eventContentTypes.read, '{"messageId":"m-1"}'))],
  ['disconnect', withEvent({ Type: 'DISCONNECT' })],
  ['an unknown Subtype when allowed', smsMessage({ Subtype: 'connect:Telegram', SourceId: 'tg-1' }), { allowUnknownSubtype: true }],
  ['boundary lengths', { SourceId: 'x'.repeat(255), DestinationId: 'y'.repeat(255), Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'z' } }],
  [
    'a full NewSessionDetails',
    withSession({
      SupportedMessagingContentTypes: ['text/plain', 'text/markdown'],
      ParticipantDetails: { DisplayName: 'd'.repeat(256) },
      Attributes: { channel: 'sms', 'customer_id-2': '', ['k'.repeat(100)]: 'v'.repeat(32_000) },
      StreamingConfiguration: { StreamingEndpointArn: topicArn },
    }),
  ],
  ['a GovCloud topic ARN', withSession({ StreamingConfiguration: { StreamingEndpointArn: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t' } })],
  ['attributes of exactly 32,768 bytes', withSession({ Attributes: { a: 'v'.repeat(32_767) } })],
];

describe('validateChatIntegrationEvent: valid events', () => {
  it.each(valid)('accepts %s', (_name, event, options) => {
    expect(validateChatIntegrationEvent(event, options)).toEqual([]);
    expect(() => assertValidChatIntegrationEvent(event, options)).not.toThrow();
  });
});

/** [name, event, expected path, fragment of the message, options?] */
const invalid: Array<[string, unknown, string, string | RegExp, { allowUnknownSubtype?: boolean }?]> = [
  ['not an object', 'hello', '(event)', 'expected an object'],
  ['null', null, '(event)', 'got null'],
  ['an array', [], '(event)', 'got an array'],
  ['an unknown top-level member', smsMessage({ Extra: 1 }), 'Extra', 'unknown member'],
  ['a miscased member', smsMessage({ sourceId: 'x' }), 'sourceId', 'did you mean SourceId?'],
  ['missing SourceId', smsMessage({ SourceId: undefined }), 'SourceId', 'required'],
  ['numeric SourceId', smsMessage({ SourceId: 14155550100 }), 'SourceId', 'got number 14155550100'],
  ['empty SourceId', { ...smsMessage({ Subtype: undefined }), SourceId: '' }, 'SourceId', 'must not be empty'],
  ['SourceId over 255', { SourceId: 'x'.repeat(256), DestinationId: 'd', Event: { Type: 'DISCONNECT' } }, 'SourceId', 'at most 255 characters, got 256'],
  ['missing DestinationId', smsMessage({ DestinationId: undefined }), 'DestinationId', 'required'],
  ['DestinationId over 255', smsMessage({ DestinationId: 'd'.repeat(256) }), 'DestinationId', 'at most 255'],
  ['empty Subtype', smsMessage({ Subtype: '' }), 'Subtype', 'must not be empty'],
  ['Subtype over 100', smsMessage({ Subtype: 's'.repeat(101) }), 'Subtype', 'at most 100'],
  ['an unknown Subtype', smsMessage({ Subtype: 'connect:Telegram' }), 'Subtype', 'allowUnknownSubtype'],
  ['a miscased Subtype', smsMessage({ Subtype: 'connect:whatsapp' }), 'Subtype', 'did you mean connect:WhatsApp?'],
  ['a non-E.164 SMS SourceId', smsMessage({ SourceId: '4155550100' }), 'SourceId', 'E.164'],
  ['a non-E.164 WhatsApp SourceId', smsMessage({ Subtype: 'connect:WhatsApp', SourceId: '+0123' }), 'SourceId', 'E.164'],
  ['missing Event', smsMessage({ Event: undefined }), 'Event', 'required'],
  ['Event not an object', smsMessage({ Event: 'MESSAGE' }), 'Event', 'expected an object'],
  ['unknown Event member', withEvent({ Type: 'DISCONNECT', Foo: 1 }), 'Event.Foo', 'unknown member'],
  ['missing Event.Type', withEvent({ ContentType: 'text/plain', Content: 'x' }), 'Event.Type', 'got nothing'],
  [
    'a bad Event.Type',
    withEvent({ Type: 'message', ContentType: 'text/plain', Content: 'x' }),
    'Event.Type',
    'expected one of MESSAGE, EVENT, DISCONNECT, got "message"',
  ],
  ['MESSAGE without ContentType', withEvent({ Type: 'MESSAGE', Content: 'x' }), 'Event.ContentType', 'required for MESSAGE'],
  ['MESSAGE without Content', withEvent({ Type: 'MESSAGE', ContentType: 'text/plain' }), 'Event.Content', 'required for MESSAGE'],
  ['empty Content', withEvent({ Type: 'MESSAGE', ContentType: 'text/plain', Content: '' }), 'Event.Content', 'must not be empty'],
  ['Content over 16,384', withEvent({ Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(16_385) }, null), 'Event.Content', 'at most 16384'],
  ['ContentType over 100', withEvent({ Type: 'MESSAGE', ContentType: 't'.repeat(101), Content: 'x' }), 'Event.ContentType', 'at most 100'],
  [
    'an unknown MESSAGE content type',
    withEvent({ Type: 'MESSAGE', ContentType: 'image/png', Content: 'x' }, null),
    'Event.ContentType',
    'not a MESSAGE content type',
  ],
  ['markdown on SMS', withEvent({ Type: 'MESSAGE', ContentType: 'text/markdown', Content: 'x' }), 'Event.ContentType', 'accept only text/plain'],
  [
    'JSON on WhatsApp',
    withEvent({ Type: 'MESSAGE', ContentType: 'application/json', Content: '{}' }, 'connect:WhatsApp'),
    'Event.ContentType',
    'accept only text/plain',
  ],
  [
    '1,025 characters on SMS',
    withEvent({ Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(1025) }),
    'Event.Content',
    /at most 1024 characters, got 1025; split it.*splitText.*longText/,
  ],
  ['EVENT without ContentType', withEvent({ Type: 'EVENT' }), 'Event.ContentType', 'required for EVENT'],
  ['an unknown EVENT content type', withEvent({ Type: 'EVENT', ContentType: 'text/plain', Content: 'x' }), 'Event.ContentType', 'not an EVENT content type'],
  [
    'the deprecated acknowledged event',
    withEvent(receipt('application/vnd.amazonaws.connect.event.connection.acknowledged')),
    'Event.ContentType',
    'deprecated',
  ],
  [
    'typing with content',
    withEvent({ Type: 'EVENT', ContentType: c.eventContentTypes.typing, Content: 'x' }),
    'Event.Content',
    'typing events carry no Content',
  ],
  ['delivered without content', withEvent(receipt(c.eventContentTypes.delivered)), 'Event.Content', 'required for'],
  ['read with non-JSON content', withEvent(receipt(c.eventContentTypes.read, 'm-1')), 'Event.Content', '{"messageId":'],
  ['read with an empty messageId', withEvent(receipt(c.eventContentTypes.read, '{"messageId":""}')), 'Event.Content', 'non-empty messageId'],
  ['delivered with a numeric messageId', withEvent(receipt(c.eventContentTypes.delivered, '{"messageId":1}')), 'Event.Content', 'messageId'],
  ['DISCONNECT with content', withEvent({ Type: 'DISCONNECT', Content: 'bye' }), 'Event.Content', 'DISCONNECT events carry no Content'],
  [
    'DISCONNECT with a content type',
    withEvent({ Type: 'DISCONNECT', ContentType: 'text/plain' }),
    'Event.ContentType',
    'DISCONNECT events carry no ContentType',
  ],
  ['NewSessionDetails not an object', withSession([]), 'NewSessionDetails', 'got an array'],
  ['unknown NewSessionDetails member', withSession({ attributes: {} }), 'NewSessionDetails.attributes', 'did you mean Attributes?'],
  [
    'SupportedMessagingContentTypes not an array',
    withSession({ SupportedMessagingContentTypes: 'text/plain' }),
    'NewSessionDetails.SupportedMessagingContentTypes',
    'expected an array',
  ],
  [
    'SupportedMessagingContentTypes without text/plain',
    withSession({ SupportedMessagingContentTypes: ['text/markdown'] }),
    'NewSessionDetails.SupportedMessagingContentTypes',
    'must contain text/plain',
  ],
  [
    'an empty supported content type',
    withSession({ SupportedMessagingContentTypes: ['text/plain', ''] }),
    'NewSessionDetails.SupportedMessagingContentTypes[1]',
    'must not be empty',
  ],
  [
    'a supported content type over 100',
    withSession({ SupportedMessagingContentTypes: ['text/plain', 't'.repeat(101)] }),
    'NewSessionDetails.SupportedMessagingContentTypes[1]',
    'at most 100',
  ],
  ['ParticipantDetails without DisplayName', withSession({ ParticipantDetails: {} }), 'NewSessionDetails.ParticipantDetails.DisplayName', 'required'],
  ['an empty DisplayName', withSession({ ParticipantDetails: { DisplayName: '' } }), 'NewSessionDetails.ParticipantDetails.DisplayName', 'must not be empty'],
  [
    'DisplayName over 256',
    withSession({ ParticipantDetails: { DisplayName: 'd'.repeat(257) } }),
    'NewSessionDetails.ParticipantDetails.DisplayName',
    'at most 256',
  ],
  ['ParticipantDetails not an object', withSession({ ParticipantDetails: 'Ann' }), 'NewSessionDetails.ParticipantDetails', 'expected an object'],
  ['an attribute key with a space', withSession({ Attributes: { 'my key': 'v' } }), 'NewSessionDetails.Attributes.my key', 'letters, digits, - and _'],
  ['an empty attribute key', withSession({ Attributes: { '': 'v' } }), 'NewSessionDetails.Attributes.', 'letters, digits'],
  ['an attribute key over 32,767', withSession({ Attributes: { ['k'.repeat(32_768)]: '' } }), `NewSessionDetails.Attributes.${'k'.repeat(32_768)}`, '1..32767'],
  ['a numeric attribute value', withSession({ Attributes: { n: 1 } }), 'NewSessionDetails.Attributes.n', 'expected a string value'],
  ['an attribute value over 32,767', withSession({ Attributes: { v: 'v'.repeat(32_768) } }), 'NewSessionDetails.Attributes.v', 'at most 32767'],
  [
    'attributes over 32,768 bytes',
    withSession({ Attributes: { a: 'é'.repeat(16_384) } }),
    'NewSessionDetails.Attributes',
    'at most 32768 UTF-8 bytes, got 32769',
  ],
  ['Attributes not an object', withSession({ Attributes: 'a=b' }), 'NewSessionDetails.Attributes', 'expected an object'],
  [
    'StreamingConfiguration without an ARN',
    withSession({ StreamingConfiguration: {} }),
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    'required',
  ],
  [
    'a FIFO topic',
    withSession({ StreamingConfiguration: { StreamingEndpointArn: `${topicArn}.fifo` } }),
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    'FIFO',
  ],
  [
    'a queue ARN',
    withSession({ StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:sqs:us-east-1:123456789012:q' } }),
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    'SNS topic ARN',
  ],
  [
    'an ARN over 350',
    withSession({ StreamingConfiguration: { StreamingEndpointArn: `${topicArn}${'x'.repeat(350)}` } }),
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    'at most 350',
  ],
  [
    'an empty ARN',
    withSession({ StreamingConfiguration: { StreamingEndpointArn: '' } }),
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    'must not be empty',
  ],
];

describe('validateChatIntegrationEvent: each constraint', () => {
  it.each(invalid)('rejects %s', (_name, event, path, fragment, options) => {
    const issues = validateChatIntegrationEvent(event, options);
    const atPath = issues.filter((issue) => issue.path === path);
    expect(atPath, JSON.stringify(issues).slice(0, 500)).toHaveLength(1);
    if (typeof fragment === 'string') expect(atPath[0]?.message).toContain(fragment);
    else expect(atPath[0]?.message).toMatch(fragment);
  });

  it('reports every problem at once, not only the first', () => {
    const issues = validateChatIntegrationEvent({
      SourceId: '',
      Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/markdown' },
      NewSessionDetails: { Attributes: { 'bad key': 'v' } },
      extra: true,
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['DestinationId', 'Event.Content', 'Event.ContentType', 'NewSessionDetails.Attributes.bad key', 'SourceId', 'extra'].sort(),
    );
  });

  it('throws a ValidationError carrying the issues', () => {
    let thrown: unknown;
    try {
      assertValidChatIntegrationEvent(smsMessage({ SourceId: 'nope' }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.status).toBe(422);
    expect(error.issues).toEqual([expect.objectContaining({ path: 'SourceId' })]);
    expect(error.message).toContain('SourceId: must be the customer');
  });

  it('refuses bad options with INVALID_OPTIONS', () => {
    expect(() => validateChatIntegrationEvent(smsMessage(), { allowUnknownSubtype: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', message: 'options.allowUnknownSubtype: expected a boolean, got the string "yes"' }),
    );
    expect(() => validateChatIntegrationEvent(smsMessage(), null as unknown as object)).toThrow(ConnectChatError);
  });
});
