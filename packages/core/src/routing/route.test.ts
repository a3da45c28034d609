import { describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { validateChatIntegrationEvent } from '../model/validate.ts';
import type { InboundMessage } from '../model/inbound-message.ts';
import { validateRouteOptions } from './route-options.ts';
import { toChatIntegrationEvents } from './route.ts';
import type { RouteOptions } from './types.ts';
import { rejection } from '../../test/support/provider-requests.ts';

const arn = (n: number) => `arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-${n}`;

function message(overrides: Partial<InboundMessage> = {}): InboundMessage {
  return {
    provider: 'twilio',
    id: 'SM1',
    channel: 'sms',
    kind: 'message',
    from: '+14255550182',
    to: '+12125550101',
    text: 'Hello',
    media: [],
    raw: {},
    ...overrides,
  };
}

describe('toChatIntegrationEvents', () => {
  it('builds one valid MESSAGE with the chat key and the session details', async () => {
    const [event, ...rest] = await toChatIntegrationEvents(message({ profileName: 'Sheena' }), { destination: arn(1) });
    expect(rest).toEqual([]);
    expect(event).toEqual({
      SourceId: '+14255550182',
      DestinationId: arn(1),
      Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hello' },
      NewSessionDetails: {
        SupportedMessagingContentTypes: ['text/plain'],
        ParticipantDetails: { DisplayName: 'Sheena' },
        Attributes: { channel: 'sms', provider: 'twilio' },
      },
    });
    expect(validateChatIntegrationEvent(event)).toEqual([]);
  });

  it('looks the number up in a destination map by E.164, then by alias', async () => {
    const route: RouteOptions = { destination: { '+12125550101': arn(1), '106540352242922': arn(2) } };
    expect((await toChatIntegrationEvents(message(), route))[0]!.DestinationId).toBe(arn(1));
    const aliased = message({ to: '+15550783881', toAliases: ['106540352242922'], channel: 'whatsapp' });
    expect((await toChatIntegrationEvents(aliased, route))[0]!.DestinationId).toBe(arn(2));
  });

  it('refuses an unknown number with INVALID_EVENT: a fixed message, the number and the option in its cause', async () => {
    const error = await rejection(toChatIntegrationEvents(message({ to: '+19995550100' }), { destination: { '+12125550101': arn(1) } }));
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.status).toBe(422);
    expect(error.message).not.toContain('+1');
    const details = (error.cause as Error).message;
    expect(details).toContain('+19995550100');
    expect(details).toContain('route.destination');
  });

  it('never matches inherited keys of the map', async () => {
    const error = await rejection(toChatIntegrationEvents(message({ to: 'constructor', toAliases: ['__proto__'] }), { destination: { '+1': arn(1) } }));
    expect(error.code).toBe('INVALID_EVENT');
  });

  it('asks a destination function, and refuses when it knows no destination', async () => {
    const seen: string[] = [];
    const route: RouteOptions = {
      destination: async (m) => {
        seen.push(m.to);
        return m.to === '+12125550101' ? arn(3) : undefined;
      },
    };
    expect((await toChatIntegrationEvents(message(), route))[0]!.DestinationId).toBe(arn(3));
    expect((await rejection(toChatIntegrationEvents(message({ to: '+1999' }), route))).code).toBe('INVALID_EVENT');
    expect(seen).toEqual(['+12125550101', '+1999']);
    const broken = await rejection(toChatIntegrationEvents(message(), { destination: () => 42 as never }));
    expect(broken.code).toBe('INVALID_OPTIONS');
  });

  it('lets message hints override destination, subtype and attributes, except the reserved channel and provider', async () => {
    const hinted = message({
      channel: 'custom',
      provider: 'generic',
      hints: { destinationId: arn(9), subtype: 'connect:WhatsApp', attributes: { tier: 'gold', channel: 'web' } },
    });
    const [event] = await toChatIntegrationEvents(hinted, { destination: arn(1), session: { attributes: { tier: 'silver', team: 'a' } } });
    expect(event!.DestinationId).toBe(arn(9));
    expect(event!.Subtype).toBe('connect:WhatsApp');
    expect(event!.NewSessionDetails?.Attributes).toEqual({ channel: 'custom', provider: 'generic', tier: 'gold', team: 'a' });
  });

  it('derives the Subtype from the channel, overridable per channel', async () => {
    const subtypeOf = async (m: InboundMessage, route: Partial<RouteOptions> = {}) =>
      (await toChatIntegrationEvents(m, { destination: arn(1), ...route }))[0]!.Subtype;
    expect(await subtypeOf(message({ channel: 'whatsapp' }))).toBe('connect:WhatsApp');
    expect(await subtypeOf(message({ channel: 'custom' }))).toBe('connect:sms');
    expect(await subtypeOf(message({ channel: 'sms' }), { subtypes: { sms: 'connect:SMS' } })).toBe('connect:SMS');
    expect(await subtypeOf(message({ channel: 'custom' }), { subtypes: { custom: 'connect:WhatsApp' } })).toBe('connect:WhatsApp');
  });

  it('takes the display name from the route, then the profile, then the number, and adds streaming', async () => {
    const nameOf = async (m: InboundMessage, session: RouteOptions['session']) =>
      (await toChatIntegrationEvents(m, { destination: arn(1), session }))[0]!.NewSessionDetails!;
    expect((await nameOf(message({ profileName: 'Ana' }), { displayName: 'Customer' })).ParticipantDetails?.DisplayName).toBe('Customer');
    expect((await nameOf(message({ profileName: 'Ana' }), { displayName: (m) => `SMS ${m.from}` })).ParticipantDetails?.DisplayName).toBe('SMS +14255550182');
    expect((await nameOf(message({ profileName: '  ' }), {})).ParticipantDetails?.DisplayName).toBe('+14255550182');
    expect((await nameOf(message({ profileName: 'x'.repeat(300) }), {})).ParticipantDetails?.DisplayName).toHaveLength(256);
    const streaming = await nameOf(message(), {
      streamingEndpointArn: 'arn:aws:sns:us-east-1:111122223333:chat-stream',
      supportedMessagingContentTypes: ['text/plain', 'text/markdown'],
    });
    expect(streaming.StreamingConfiguration).toEqual({ StreamingEndpointArn: 'arn:aws:sns:us-east-1:111122223333:chat-stream' });
    expect(streaming.SupportedMessagingContentTypes).toEqual(['text/plain', 'text/markdown']);
  });

  it('maps typing, receipts and disconnect to their events', async () => {
    const route = { destination: arn(1) };
    const [typing] = await toChatIntegrationEvents(message({ kind: 'typing', text: undefined }), route);
    expect(typing!.Event).toEqual({ Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' });
    const [read] = await toChatIntegrationEvents(message({ kind: 'read', receiptFor: 'm-1' }), route);
    expect(read!.Event).toEqual({ Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.message.read', Content: '{"messageId":"m-1"}' });
    const [delivered] = await toChatIntegrationEvents(message({ kind: 'delivered', receiptFor: 'm-2' }), route);
    expect(delivered!.Event.ContentType).toBe('application/vnd.amazonaws.connect.event.message.delivered');
    const [disconnect] = await toChatIntegrationEvents(message({ kind: 'disconnect' }), route);
    expect(disconnect).toEqual({ SourceId: '+14255550182', DestinationId: arn(1), Subtype: 'connect:sms', Event: { Type: 'DISCONNECT' } });
    expect((await rejection(toChatIntegrationEvents(message({ kind: 'read' }), route))).code).toBe('INVALID_EVENT');
  });

  it('appends media links by default, drops or rejects them on request', async () => {
    const withMedia = message({
      text: 'See this',
      media: [{ url: 'https://media.example/1.jpg', contentType: 'image/jpeg' }, { id: 'wa-media-7', contentType: 'image/png' }, {}],
    });
    const contentOf = async (m: InboundMessage, media?: RouteOptions['media']) =>
      (await toChatIntegrationEvents(m, { destination: arn(1), media }))[0]!.Event.Content;
    expect(await contentOf(withMedia)).toBe('See this\nhttps://media.example/1.jpg\n[image wa-media-7]\n[attachment]');
    expect(await contentOf(message({ text: undefined, media: [{ id: 'x1', contentType: 'image/jpeg', caption: 'receipt' }] }))).toBe('[image x1] receipt');
    expect(await contentOf(withMedia, 'drop')).toBe('See this');
    expect(await contentOf(message({ text: '', media: [{ url: 'https://m/1' }] }), 'drop')).toBe('[attachment]');
    expect((await rejection(contentOf(withMedia, 'reject'))).code).toBe('INVALID_EVENT');
    expect(await contentOf(message(), 'reject')).toBe('Hello');
  });

  it('refuses a message with neither text nor media', async () => {
    expect((await rejection(toChatIntegrationEvents(message({ text: '  ' }), { destination: arn(1) }))).code).toBe('INVALID_EVENT');
  });

  it('splits long SMS text into ordered parts of at most 1,024 characters, or rejects it', async () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const events = await toChatIntegrationEvents(message({ text: words }), { destination: arn(1) });
    expect(events.length).toBeGreaterThan(1);
    for (const event of events) expect(Array.from(event.Event.Content!).length).toBeLessThanOrEqual(1024);
    expect(events.map((e) => e.Event.Content).join(' ')).toBe(words);
    const error = await rejection(toChatIntegrationEvents(message({ text: words }), { destination: arn(1), longText: 'reject' }));
    expect(error.code).toBe('INVALID_EVENT');
    expect(error.message).toContain('1024');
  });

  it('allows up to 16,384 characters in one part on a non-phone Subtype', async () => {
    const text = 'a'.repeat(5000);
    const events = await toChatIntegrationEvents(message({ channel: 'custom', from: 'user-42', text }), {
      destination: arn(1),
      subtypes: { custom: 'connect:Web' },
      allowUnknownSubtype: true,
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.Event.Content).toBe(text);
  });
});

describe('validateRouteOptions', () => {
  const problem = (route: unknown) => {
    try {
      validateRouteOptions(route);
    } catch (error) {
      return ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS' ? error.message : `unexpected ${String(error)}`;
    }
    return 'valid';
  };

  it('accepts the three destination forms and full options', () => {
    expect(problem({ destination: arn(1) })).toBe('valid');
    expect(problem({ destination: { '+12125550101': arn(1) } })).toBe('valid');
    expect(problem({ destination: () => arn(1) })).toBe('valid');
    expect(
      problem({
        destination: arn(1),
        subtypes: { sms: 'connect:SMS' },
        session: {
          displayName: 'x',
          attributes: { a: 'b' },
          streamingEndpointArn: 'arn:aws:sns:us-east-1:111122223333:t',
          supportedMessagingContentTypes: ['text/plain'],
        },
        media: 'drop',
        longText: 'reject',
        allowUnknownSubtype: false,
      }),
    ).toBe('valid');
  });

  it('names the option and what it expected', () => {
    expect(problem(undefined)).toMatch(/^route: expected an object/);
    expect(problem({})).toMatch(/^route\.destination: expected a DestinationId string/);
    expect(problem({ destination: '' })).toMatch(/^route\.destination: expected a string of 1 to 255/);
    expect(problem({ destination: {} })).toMatch(/the map is empty/);
    expect(problem({ destination: { '+1': 5 } })).toMatch(/^route\.destination\["\+1"\]: expected a DestinationId string, got 5/);
    expect(problem({ destination: arn(1), subtypes: { sms: 'connect:Telegram' } })).toMatch(/^route\.subtypes\.sms: expected one of connect:sms/);
    expect(problem({ destination: arn(1), subtypes: { sms: 'connect:Telegram' }, allowUnknownSubtype: true })).toBe('valid');
    expect(problem({ destination: arn(1), subtypes: { fax: 'connect:sms' } })).toMatch(/^route\.subtypes\.fax: unknown option/);
    expect(problem({ destination: arn(1), media: 'links' })).toMatch(/^route\.media: expected 'append-links' or 'drop' or 'reject'/);
    expect(problem({ destination: arn(1), longText: 'truncate' })).toMatch(/^route\.longText/);
    expect(problem({ destination: arn(1), destinations: {} })).toMatch(/^route\.destinations: unknown option/);
    expect(problem({ destination: arn(1), session: { streamingEndpointArn: 'arn:aws:sns:us-east-1:111122223333:t.fifo' } })).toMatch(
      /^route\.session\.streamingEndpointArn/,
    );
    expect(problem({ destination: arn(1), session: { supportedMessagingContentTypes: ['text/markdown'] } })).toMatch(/includes text\/plain/);
    expect(problem({ destination: arn(1), session: { attributes: { 'bad key': 'x' } } })).toMatch(/^route\.session\.attributes/);
    expect(problem({ destination: arn(1), session: { displayName: 'x'.repeat(257) } })).toMatch(/^route\.session\.displayName/);
  });
});
