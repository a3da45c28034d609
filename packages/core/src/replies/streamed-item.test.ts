import { describe, expect, it } from 'vitest';
import type { SnsEnvelope } from '../providers/sns/envelope.ts';
import { readStreamedItem } from './streamed-item.ts';

const base = {
  AbsoluteTime: '2026-12-04T10:00:00.000Z',
  Content: 'Hi, this is Sam from support.',
  ContentType: 'text/plain',
  Id: 'item-1',
  Type: 'MESSAGE',
  ParticipantId: 'p-agent',
  DisplayName: 'Sam',
  ParticipantRole: 'AGENT',
  InitialContactId: 'contact-1',
  ContactId: 'contact-2',
};

function envelope(item: object | string, attributes: Record<string, string> = {}): SnsEnvelope {
  return {
    Type: 'Notification',
    MessageId: 'm-1',
    TopicArn: 'arn:aws:sns:us-east-1:111122223333:chat-stream',
    Message: typeof item === 'string' ? item : JSON.stringify(item),
    Timestamp: '2026-12-04T10:00:01.000Z',
    SignatureVersion: '2',
    Signature: 'x',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/x.pem',
    MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([name, Value]) => [name, { Type: 'String', Value }])),
  } as SnsEnvelope;
}

describe('readStreamedItem', () => {
  it("delivers an agent's text visible to the customer, keyed by its Id and the initial contact", () => {
    expect(readStreamedItem(envelope(base, { MessageVisibility: 'ALL' }))).toEqual({
      kind: 'deliver',
      message: {
        id: 'item-1',
        initialContactId: 'contact-1',
        contactId: 'contact-2',
        participantRole: 'AGENT',
        displayName: 'Sam',
        contentType: 'text/plain',
        text: 'Hi, this is Sam from support.',
        absoluteTime: '2026-12-04T10:00:00.000Z',
      },
    });
    expect(readStreamedItem(envelope({ ...base, ParticipantRole: 'CUSTOM_BOT', ContentType: 'text/markdown' }, { MessageVisibility: 'CUSTOMER' })).kind).toBe(
      'deliver',
    );
  });

  it.each([
    ["the customer's own message", { ...base, ParticipantRole: 'CUSTOMER' }, {}],
    ['visible to AGENT only', base, { MessageVisibility: 'AGENT' }],
    ['a EVENT item', { ...base, Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing', Content: undefined }, {}],
    ['an incomplete streamed chunk', { ...base, MessageMetadata: { MessageCompleted: false } }, {}],
    ['not text the channel can carry', { ...base, Type: 'MESSAGE', ContentType: 'application/vnd.amazonaws.connect.message.interactive' }, {}],
    ['participant.left is not the end', { ...base, Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.participant.left' }, {}],
  ])('ignores %s', (_reason, item, attributes) => {
    expect(readStreamedItem(envelope(item, attributes)).kind).toBe('ignore');
  });

  it('reads the role and visibility from the SNS attributes when the item lacks them', () => {
    const { ParticipantRole: _role, ...withoutRole } = base;
    expect(readStreamedItem(envelope(withoutRole, { ParticipantRole: 'CUSTOMER' })).kind).toBe('ignore');
  });

  it('chat.ended ends the session, with or without a participant role', () => {
    const ended = { Id: 'item-9', Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.chat.ended', InitialContactId: 'contact-1' };
    expect(readStreamedItem(envelope(ended))).toEqual({ kind: 'chat-ended', itemId: 'item-9', initialContactId: 'contact-1' });
  });

  it.each(['not json', '[]', JSON.stringify({ ...base, Id: undefined }), JSON.stringify({ ...base, InitialContactId: '' })])(
    'refuses %j as MALFORMED_PAYLOAD',
    (message) => {
      expect(() => readStreamedItem(envelope(message))).toThrow(expect.objectContaining({ code: 'MALFORMED_PAYLOAD' }));
    },
  );
});
