import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import type { ReceivedRequest } from '../../wire/types.ts';
import { silentLogger } from '../../logger.ts';
import { createSnsSigner, type SnsSigner } from '../../testing/sns-signer.ts';
import type { ProviderContext } from '../types.ts';
import type { SnsEnvelope } from './envelope.ts';
import { createSnsProvider } from './sns-provider.ts';
import { received } from '../../../test/support/provider-requests.ts';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:inbound-sms';

// The tampered body travels with the genuine headers: an attacker controls both, and header values
// must stay valid HTTP while the body may hold any character.
function tamperedRequest(signer: SnsSigner, genuine: SnsEnvelope, tampered: SnsEnvelope): Promise<ReceivedRequest> {
  const { headers } = signer.request(genuine, { url: 'https://bridge.example/sns' });
  return received(new Request('https://bridge.example/sns', { method: 'POST', headers, body: JSON.stringify(tampered) }));
}

const signedFields: Record<SnsEnvelope['Type'], readonly (keyof SnsEnvelope)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn'],
};

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; text: string }
  | { kind: 'swapCase'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ minLength: 1, maxLength: 4, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), text: fc.string({ maxLength: 40, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('swapCase' as const), at: fc.nat() }),
);

function mutate(value: string, change: Mutation): string {
  const at = value.length === 0 ? 0 : ('at' in change ? change.at : 0) % (value.length + 1);
  switch (change.kind) {
    case 'insert':
      return value.slice(0, at) + change.text + value.slice(at);
    case 'delete':
      return value.slice(0, at) + value.slice(at + 1);
    case 'replace':
      return change.text;
    case 'swapCase': {
      const char = value.charAt(at);
      const swapped = char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase();
      return value.slice(0, at) + swapped + value.slice(at + 1);
    }
  }
}

describe('createSnsProvider: property', () => {
  let signers: SnsSigner[] = [];
  let envelopes: { signer: SnsSigner; envelope: SnsEnvelope }[] = [];

  beforeAll(async () => {
    signers = await Promise.all([createSnsSigner({ signatureVersion: '1' }), createSnsSigner({ signatureVersion: '2' })]);
    envelopes = (
      await Promise.all(
        signers.map(async (signer) => [
          await signer.notification({
            topicArn,
            subject: 'Inbound SMS',
            message: signer.endUserMessagingSms({ from: '+14255550182', to: '+12125550101', text: 'Grüße 👋 from the customer' }),
          }),
          await signer.subscriptionConfirmation({ topicArn }),
          await signer.unsubscribeConfirmation({ topicArn }),
        ]),
      )
    ).flatMap((list, index) => list.map((envelope) => ({ signer: signers[index]!, envelope })));
  });

  function provider() {
    return createSnsProvider({
      topicArns: [topicArn],
      resolveCertificate: async (url) => {
        const signer = signers.find((candidate) => candidate.certificateUrl === url.href);
        if (signer === undefined) throw new Error('unknown certificate');
        return signer.certificatePem;
      },
    });
  }

  const context: ProviderContext = { logger: silentLogger, fetch: (() => Promise.reject(new Error('no network in this test'))) as typeof fetch };

  it('verifies every unmutated envelope', async () => {
    const sns = provider();
    for (const { signer, envelope } of envelopes) {
      await expect(sns.verify(await received(signer.request(envelope, { url: 'https://bridge.example/sns' })), context)).resolves.toBeUndefined();
    }
  });

  it('refuses any change to any signed field with 401 (403 when the change names a topic outside the allow-list)', async () => {
    const sns = provider();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), mutation, async (pick, fieldPick, change) => {
        const { signer, envelope } = envelopes[pick % envelopes.length]!;
        const fields = signedFields[envelope.Type];
        const field = fields[fieldPick % fields.length]!;
        const original = envelope[field] as string;
        const changed = mutate(original, change);
        fc.pre(changed !== original);
        const tampered = { ...envelope, [field]: changed };
        const request = await tamperedRequest(signer, envelope, tampered);
        const error = await sns.verify(request, context).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        // The allow-list is checked before anything is fetched: a changed TopicArn is a foreign topic.
        expect(ConnectChatError.is(error) && error.code).toBe(field === 'TopicArn' ? 'FORBIDDEN' : 'SIGNATURE_INVALID');
      }),
      { numRuns: 300 },
    );
  });

  it('refuses any single flipped bit of the signature with 401', async () => {
    const sns = provider();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), async (pick, bytePick, bit) => {
        const { signer, envelope } = envelopes[pick % envelopes.length]!;
        const bytes = Uint8Array.from(atob(envelope.Signature), (char) => char.charCodeAt(0));
        const index = bytePick % bytes.length;
        bytes[index] = (bytes[index] ?? 0) ^ (1 << bit);
        const tampered = { ...envelope, Signature: btoa(String.fromCharCode(...bytes)) };
        const request = await tamperedRequest(signer, envelope, tampered);
        const error = await sns.verify(request, context).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(ConnectChatError.is(error) && error.code).toBe('SIGNATURE_INVALID');
      }),
      { numRuns: 100 },
    );
  });
});
