import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.ts';
import { deliveredReceipt, disconnectEvent, readReceipt, textMessage, typingEvent } from './builders.ts';
import { validateChatIntegrationEvent } from './validate.ts';

const chat = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p-1', Subtype: 'connect:sms' };

describe('event builders', () => {
  it('build the events the API expects', () => {
    expect(textMessage(chat, 'hi')).toEqual({ ...chat, Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hi' } });
    expect(typingEvent(chat)).toEqual({ ...chat, Event: { Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' } });
    expect(deliveredReceipt(chat, 'm-1').Event).toEqual({
      Type: 'EVENT',
      ContentType: 'application/vnd.amazonaws.connect.event.message.delivered',
      Content: '{"messageId":"m-1"}',
    });
    expect(readReceipt(chat, 'm"2').Event).toEqual({
      Type: 'EVENT',
      ContentType: 'application/vnd.amazonaws.connect.event.message.read',
      Content: '{"messageId":"m\\"2"}',
    });
    expect(disconnectEvent(chat)).toEqual({ ...chat, Event: { Type: 'DISCONNECT' } });
    for (const event of [textMessage(chat, 'x'), typingEvent(chat), readReceipt(chat, 'm'), disconnectEvent(chat)]) {
      expect(validateChatIntegrationEvent(event)).toEqual([]);
    }
  });

  it('carry NewSessionDetails and a content type, and leave out an absent Subtype', () => {
    const newSession = { ParticipantDetails: { DisplayName: 'Ann' }, Attributes: { channel: 'web' } };
    const event = textMessage({ SourceId: 'u-1', DestinationId: 'd' }, '**hi**', { newSession, contentType: 'text/markdown' });
    expect(event).toEqual({
      SourceId: 'u-1',
      DestinationId: 'd',
      Event: { Type: 'MESSAGE', ContentType: 'text/markdown', Content: '**hi**' },
      NewSessionDetails: newSession,
    });
    expect('Subtype' in event).toBe(false);
  });

  it('throw a ValidationError naming the field that breaks a constraint', () => {
    const cases: Array<[() => unknown, string]> = [
      [() => textMessage(chat, ''), 'Event.Content'],
      [() => textMessage(chat, 'x'.repeat(1025)), 'Event.Content'],
      [() => textMessage(chat, 'x', { contentType: 'text/markdown' }), 'Event.ContentType'],
      [() => textMessage({ ...chat, SourceId: '4155550100' }, 'x'), 'SourceId'],
      [() => typingEvent({ ...chat, DestinationId: '' }), 'DestinationId'],
      [() => disconnectEvent({ ...chat, Subtype: 'connect:Telegram' }), 'Subtype'],
      [() => textMessage(chat, 'x', { newSession: { ParticipantDetails: { DisplayName: '' } } }), 'NewSessionDetails.ParticipantDetails.DisplayName'],
    ];
    for (const [build, path] of cases) {
      let thrown: unknown;
      try {
        build();
      } catch (error) {
        thrown = error;
      }
      expect(thrown, path).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).issues.map((issue) => issue.path)).toContain(path);
    }
  });

  it('accept an unknown Subtype only when asked', () => {
    const telegram = { SourceId: 'tg-1', DestinationId: 'd', Subtype: 'connect:Telegram' };
    expect(disconnectEvent(telegram, { allowUnknownSubtype: true }).Subtype).toBe('connect:Telegram');
  });

  it('refuse arguments of the wrong shape with INVALID_OPTIONS', () => {
    expect(() => textMessage(chat, 42 as unknown as string)).toThrow('text: expected a string, got 42');
    expect(() => readReceipt(chat, '')).toThrow('messageId: expected a non-empty string, got an empty string');
    expect(() => typingEvent(null as never)).toThrow('chat: expected { SourceId, DestinationId, Subtype? }, got null');
    expect(() => typingEvent({ ...chat, Type: 'x' } as never)).toThrow('chat.Type: unknown member');
    expect(() => textMessage(chat, 'x', { contentTyp: 'text/plain' } as never)).toThrow('options.contentTyp: unknown option');
    expect(() => disconnectEvent(chat, { allowUnknownSubtype: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
