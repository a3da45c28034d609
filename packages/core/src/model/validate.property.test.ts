import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatIntegrationConstraints as c } from './constraints.ts';
import type { ChatEvent, ChatIntegrationEvent, NewSessionDetails } from './types.ts';
import { validateChatIntegrationEvent } from './validate.ts';

const phoneSubtypes: readonly string[] = c.phoneSubtypes;
const text = (min: number, max: number) => fc.string({ unit: 'binary', minLength: min, maxLength: max });
const e164 = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^\d{1,14}$/)).map(([first, rest]) => `+${first}${rest}`);
const messageId = text(1, 60).map((id) => JSON.stringify({ messageId: id }));

const eventArb = (phone: boolean): fc.Arbitrary<ChatEvent> =>
  fc.oneof(
    phone
      ? fc.record({ Type: fc.constant('MESSAGE' as const), ContentType: fc.constant('text/plain'), Content: text(1, c.phoneTextMaxLength) })
      : fc.record({ Type: fc.constant('MESSAGE' as const), ContentType: fc.constantFrom(...c.messageContentTypes), Content: text(1, 2_000) }),
    fc.constant({ Type: 'EVENT' as const, ContentType: c.eventContentTypes.typing }),
    fc.record({
      Type: fc.constant('EVENT' as const),
      ContentType: fc.constantFrom(c.eventContentTypes.delivered, c.eventContentTypes.read),
      Content: messageId,
    }),
    fc.constant({ Type: 'DISCONNECT' as const }),
  );

const sessionArb: fc.Arbitrary<NewSessionDetails> = fc.record(
  {
    SupportedMessagingContentTypes: fc.subarray([...c.messageContentTypes]).map((types) => ['text/plain', ...types.filter((t) => t !== 'text/plain')]),
    ParticipantDetails: fc.record({ DisplayName: text(1, c.DisplayName.max) }),
    Attributes: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), text(0, 200), { maxKeys: 10 }),
    StreamingConfiguration: fc.record({
      StreamingEndpointArn: fc
        .tuple(
          fc.constantFrom('aws', 'aws-cn', 'aws-us-gov'),
          fc.constantFrom('us-east-1', 'eu-west-2', 'us-gov-west-1'),
          fc.stringMatching(/^\d{12}$/),
          fc.stringMatching(/^[A-Za-z0-9_-]{1,256}$/),
        )
        .map(([partition, region, account, name]) => `arn:${partition}:sns:${region}:${account}:${name}`)
        .filter((arn) => arn.length <= c.StreamingEndpointArn.max),
    }),
  },
  { requiredKeys: [] },
);

/** Events generated within every constraint. */
const validEvent: fc.Arbitrary<ChatIntegrationEvent> = fc
  .option(fc.constantFrom(...c.knownSubtypes), { nil: undefined })
  .chain((subtype) => {
    const phone = subtype !== undefined && phoneSubtypes.includes(subtype);
    return fc.record(
      {
        SourceId: phone ? e164 : text(1, c.SourceId.max),
        DestinationId: text(1, c.DestinationId.max),
        Subtype: fc.constant(subtype),
        Event: eventArb(phone),
        NewSessionDetails: sessionArb,
      },
      { requiredKeys: ['SourceId', 'DestinationId', 'Event'] },
    );
  })
  .map((event) => {
    if (event.Subtype === undefined) delete event.Subtype;
    return event;
  });

interface Mutation {
  name: string;
  /** Whether the mutation breaks a constraint of this event. */
  applies(event: ChatIntegrationEvent): boolean;
  /** The path the validator must report. */
  path: string;
  /** Breaks one constraint in place. */
  mutate(event: ChatIntegrationEvent & Record<string, unknown>): void;
}

const isPhone = (event: ChatIntegrationEvent) => event.Subtype !== undefined && phoneSubtypes.includes(event.Subtype);
const always = () => true;

type Mutable = ChatIntegrationEvent & Record<string, unknown>;
const isMessage = (e: ChatIntegrationEvent) => e.Event.Type === 'MESSAGE';
const hasSession = (e: ChatIntegrationEvent) => e.NewSessionDetails !== undefined;

/** [name, path the validator must report, whether it breaks a constraint of this event, how]. */
const mutationTable: Array<[string, string, (e: ChatIntegrationEvent) => boolean, (e: Mutable) => void]> = [
  [
    'empty SourceId',
    'SourceId',
    always,
    (e) => {
      e.SourceId = '';
    },
  ],
  [
    'SourceId too long',
    'SourceId',
    always,
    (e) => {
      e.SourceId = '1'.repeat(c.SourceId.max + 1);
    },
  ],
  [
    'SourceId not a string',
    'SourceId',
    always,
    (e) => {
      (e as Record<string, unknown>)['SourceId'] = 7;
    },
  ],
  [
    'SourceId not E.164',
    'SourceId',
    isPhone,
    (e) => {
      e.SourceId = `${e.SourceId.slice(1)}x`;
    },
  ],
  [
    'no DestinationId',
    'DestinationId',
    always,
    (e) => {
      delete (e as Partial<ChatIntegrationEvent>).DestinationId;
    },
  ],
  [
    'DestinationId too long',
    'DestinationId',
    always,
    (e) => {
      e.DestinationId = 'd'.repeat(c.DestinationId.max + 1);
    },
  ],
  [
    'unknown Subtype',
    'Subtype',
    always,
    (e) => {
      e.Subtype = 'connect:Carrier-Pigeon';
    },
  ],
  [
    'unknown member',
    'sourceid',
    always,
    (e) => {
      e['sourceid'] = 'x';
    },
  ],
  [
    'bad Event.Type',
    'Event.Type',
    always,
    (e) => {
      e.Event.Type = 'CHAT' as never;
    },
  ],
  [
    'no ContentType',
    'Event.ContentType',
    (e) => e.Event.Type !== 'DISCONNECT',
    (e) => {
      delete e.Event.ContentType;
    },
  ],
  [
    'no Content',
    'Event.Content',
    (e) => isMessage(e) || (e.Event.Type === 'EVENT' && e.Event.ContentType !== c.eventContentTypes.typing),
    (e) => {
      delete e.Event.Content;
    },
  ],
  [
    'content on typing',
    'Event.Content',
    (e) => e.Event.ContentType === c.eventContentTypes.typing,
    (e) => {
      e.Event.Content = 'x';
    },
  ],
  [
    'receipt not JSON',
    'Event.Content',
    (e) => e.Event.Type === 'EVENT' && e.Event.Content !== undefined,
    (e) => {
      e.Event.Content = 'msg-1';
    },
  ],
  [
    'content on DISCONNECT',
    'Event.Content',
    (e) => e.Event.Type === 'DISCONNECT',
    (e) => {
      e.Event.Content = 'x';
    },
  ],
  [
    'deprecated event type',
    'Event.ContentType',
    (e) => e.Event.Type === 'EVENT',
    (e) => {
      e.Event.ContentType = c.deprecatedEventContentTypes[0];
    },
  ],
  [
    'markdown on a phone chat',
    'Event.ContentType',
    (e) => isPhone(e) && isMessage(e),
    (e) => {
      e.Event.ContentType = 'text/markdown';
    },
  ],
  [
    'long text on a phone chat',
    'Event.Content',
    (e) => isPhone(e) && isMessage(e),
    (e) => {
      e.Event.Content = 'x'.repeat(c.phoneTextMaxLength + 1);
    },
  ],
  [
    'Content too long',
    'Event.Content',
    isMessage,
    (e) => {
      e.Event.Content = 'x'.repeat(c.Content.max + 1);
    },
  ],
  [
    'no text/plain supported',
    'NewSessionDetails.SupportedMessagingContentTypes',
    (e) => e.NewSessionDetails?.SupportedMessagingContentTypes !== undefined,
    (e) => {
      e.NewSessionDetails!.SupportedMessagingContentTypes = ['text/markdown'];
    },
  ],
  [
    'empty DisplayName',
    'NewSessionDetails.ParticipantDetails.DisplayName',
    hasSession,
    (e) => {
      e.NewSessionDetails!.ParticipantDetails = { DisplayName: '' };
    },
  ],
  [
    'attribute key with a dot',
    'NewSessionDetails.Attributes.customer.id',
    hasSession,
    (e) => {
      e.NewSessionDetails!.Attributes = { ...e.NewSessionDetails!.Attributes, 'customer.id': '1' };
    },
  ],
  [
    'attributes over the byte budget',
    'NewSessionDetails.Attributes',
    hasSession,
    (e) => {
      e.NewSessionDetails!.Attributes = { big: 'é'.repeat(16_383) };
    },
  ],
  [
    'FIFO streaming topic',
    'NewSessionDetails.StreamingConfiguration.StreamingEndpointArn',
    hasSession,
    (e) => {
      e.NewSessionDetails!.StreamingConfiguration = { StreamingEndpointArn: 'arn:aws:sns:us-east-1:123456789012:chat.fifo' };
    },
  ],
];
const mutations: Mutation[] = mutationTable.map(([name, path, applies, mutate]) => ({ name, path, applies, mutate }));

describe('validateChatIntegrationEvent: properties', () => {
  it('accepts every event generated within the constraints', () => {
    fc.assert(
      fc.property(validEvent, (event) => {
        expect(validateChatIntegrationEvent(event)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('catches a single broken constraint, at its path and only there', () => {
    fc.assert(
      fc.property(validEvent, fc.constantFrom(...mutations), (event, mutation) => {
        fc.pre(mutation.applies(event));
        const mutated = structuredClone(event) as ChatIntegrationEvent & Record<string, unknown>;
        mutation.mutate(mutated);
        const path = mutation.path;
        const issues = validateChatIntegrationEvent(mutated);
        expect(issues.length, mutation.name).toBeGreaterThan(0);
        expect(
          issues.map((issue) => issue.path),
          mutation.name,
        ).toEqual(issues.map(() => path));
        for (const issue of issues) expect(issue.message.length).toBeGreaterThan(10);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(Array.isArray(validateChatIntegrationEvent(value))).toBe(true);
      }),
    );
  });
});
