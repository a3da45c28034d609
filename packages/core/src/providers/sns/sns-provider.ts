import { rsaVerify } from '#crypto';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { OutboundResponse, ReceivedRequest } from '../../wire/types.ts';
import type { InboundMessage } from '../../model/inbound-message.ts';
import type { ParseResult, Provider, ProviderContext } from '../types.ts';
import { decodeBase64 } from './certificate.ts';
import { type CertificateStore, createCertificateStore } from './certificate-store.ts';
import { readEndUserMessagingSms } from './end-user-messaging.ts';
import { describe, parseSnsEnvelope, type SnsEnvelope, snsStringToSign } from './envelope.ts';
import { resolveSnsOptions, type SnsProviderOptions, type SnsSettings } from './options.ts';
import { describeFailure, getWithTimeout } from './outbound.ts';
import { untrustedSnsUrlReason } from './trust.ts';

function hashFor(signatureVersion: string): 'SHA-1' | 'SHA-256' | undefined {
  if (signatureVersion === '1') return 'SHA-1';
  if (signatureVersion === '2') return 'SHA-256';
  return undefined;
}

function json(status: number, body: unknown): OutboundResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

async function verifySignature(envelope: SnsEnvelope, certificates: CertificateStore, context: ProviderContext): Promise<void> {
  const hash = hashFor(envelope.SignatureVersion);
  if (hash === undefined) {
    throw new SignatureError(`SNS SignatureVersion ${describe(envelope.SignatureVersion)} is not supported (expected "1" or "2")`);
  }
  // Every URL is judged before anything is fetched: a key served from elsewhere proves nothing.
  const certificateProblem = untrustedSnsUrlReason(envelope.SigningCertURL, { pem: true });
  if (certificateProblem !== undefined) throw new SignatureError(`SNS SigningCertURL ${certificateProblem}`);
  if (envelope.SubscribeURL !== undefined) {
    const subscribeProblem = untrustedSnsUrlReason(envelope.SubscribeURL, { pem: false });
    if (subscribeProblem !== undefined) throw new SignatureError(`SNS SubscribeURL ${subscribeProblem}`);
  }
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = decodeBase64(envelope.Signature);
  } catch (error) {
    throw new SignatureError('SNS Signature is not base64', { cause: error });
  }
  const spki = await certificates.spki(new URL(envelope.SigningCertURL), context);
  let valid: boolean;
  try {
    valid = await rsaVerify(hash, spki, signature, new TextEncoder().encode(snsStringToSign(envelope)));
  } catch (error) {
    throw new SignatureError(`SNS signing certificate ${envelope.SigningCertURL} does not hold a usable RSA public key`, { cause: error });
  }
  if (!valid) throw new SignatureError(`SNS ${envelope.Type} signature does not match (SignatureVersion ${envelope.SignatureVersion})`);
}

async function confirmSubscription(envelope: SnsEnvelope, settings: SnsSettings, context: ProviderContext): Promise<ParseResult> {
  const topicArn = envelope.TopicArn;
  if (!settings.autoConfirm) {
    context.logger.warn('sns subscription left unconfirmed: autoConfirm is off', { provider: settings.name, topicArn });
    return {
      kind: 'reply',
      response: json(200, { confirmed: false }),
      ignored: {
        provider: settings.name,
        reason: `sns SubscriptionConfirmation for ${topicArn} was not confirmed (autoConfirm is off): visit its SubscribeURL to confirm`,
        raw: envelope,
      },
    };
  }
  const subscribeUrl = envelope.SubscribeURL ?? '';
  const problem = untrustedSnsUrlReason(subscribeUrl, { pem: false });
  if (problem !== undefined) throw new SignatureError(`SNS SubscribeURL ${problem}`);
  try {
    await getWithTimeout(context.fetch, new URL(subscribeUrl), { timeoutMs: settings.fetchTimeoutMs, signal: context.signal }, async (response) => {
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    });
  } catch (error) {
    // 503 makes SNS deliver the confirmation again instead of dropping the subscription.
    throw new ConnectChatError('NETWORK_ERROR', `SNS subscription to ${topicArn} could not be confirmed: ${describeFailure(error)}`, { cause: error });
  }
  context.logger.info('sns subscription confirmed', { provider: settings.name, topicArn });
  return { kind: 'reply', response: json(200, { confirmed: true }) };
}

/** With `maxMessageAgeSeconds`, a verified notification signed too long ago is a replay: 401. */
function assertFresh(envelope: SnsEnvelope, maxAgeSeconds: number | undefined): void {
  if (maxAgeSeconds === undefined || envelope.Type !== 'Notification') return;
  const signedAt = Date.parse(envelope.Timestamp);
  if (Number.isNaN(signedAt)) throw new SignatureError('SNS Timestamp is not a date');
  const ageSeconds = (Date.now() - signedAt) / 1000;
  if (ageSeconds > maxAgeSeconds) {
    throw new SignatureError(`SNS notification signed ${Math.round(ageSeconds)} s ago, older than maxMessageAgeSeconds (${maxAgeSeconds})`);
  }
}

function readNotification(envelope: SnsEnvelope, name: string): ParseResult {
  const read = readEndUserMessagingSms(envelope.Message);
  if (read.sms === undefined) {
    return { kind: 'messages', messages: [], ignored: [{ provider: name, reason: read.reason, raw: envelope }] };
  }
  const { sms } = read;
  const message: InboundMessage = {
    provider: name,
    // SNS redelivers with the same MessageId, but End User Messaging's id survives a re-publish too.
    id: typeof sms.inboundMessageId === 'string' && sms.inboundMessageId !== '' ? sms.inboundMessageId : envelope.MessageId,
    channel: 'sms',
    kind: 'message',
    from: sms.originationNumber,
    to: sms.destinationNumber,
    text: sms.messageBody,
    media: [],
    timestamp: envelope.Timestamp,
    raw: sms,
  };
  return { kind: 'messages', messages: [message], ignored: [] };
}

/**
 * Amazon SNS over HTTP(S), carrying AWS End User Messaging SMS two-way messages. Verifies every
 * delivery's RSA signature (SignatureVersion 1 and 2) against the certificate at its
 * SigningCertURL (Amazon SNS hosts only, cached), accepts only the listed topics, confirms their
 * subscriptions, and turns inbound SMS notifications into messages. Raw message delivery must be off.
 *
 * @example
 * const sns = createSnsProvider({ topicArns: ['arn:aws:sns:us-east-1:123456789012:inbound-sms'] });
 * const chat = createConnectChat({ providers: [sns], route: { destination: 'arn:aws:sms-voice:…' } });
 */
export function createSnsProvider(options: SnsProviderOptions): Provider {
  const settings = resolveSnsOptions(options);
  const certificates = createCertificateStore({
    capacity: settings.certificateCacheSize,
    ttlMs: settings.certificateTtlMs,
    fetchTimeoutMs: settings.fetchTimeoutMs,
    failureTtlMs: settings.certificateFailureTtlMs,
    maxConcurrentFetches: settings.maxConcurrentCertificateFetches,
    resolveCertificate: settings.resolveCertificate,
  });

  function assertAllowedTopic(envelope: SnsEnvelope): void {
    if (!settings.isAllowedTopic(envelope.TopicArn)) {
      throw new ConnectChatError('FORBIDDEN', `SNS topic ${envelope.TopicArn} is not in topicArns`);
    }
  }

  return {
    name: settings.name,
    methods: ['POST'],
    async verify(request: ReceivedRequest, context: ProviderContext): Promise<void> {
      const envelope = parseSnsEnvelope(request);
      // Before any fetch: a foreign topic must not make the bridge fetch anything.
      assertAllowedTopic(envelope);
      await verifySignature(envelope, certificates, context);
      assertFresh(envelope, settings.maxMessageAgeSeconds);
    },
    async parse(request: ReceivedRequest, context: ProviderContext): Promise<ParseResult> {
      const envelope = parseSnsEnvelope(request);
      // Checked again so that a caller who skips verify still never confirms a foreign topic.
      assertAllowedTopic(envelope);
      switch (envelope.Type) {
        case 'SubscriptionConfirmation':
          return confirmSubscription(envelope, settings, context);
        case 'UnsubscribeConfirmation':
          return {
            kind: 'reply',
            response: json(200, { confirmed: false }),
            ignored: { provider: settings.name, reason: `sns UnsubscribeConfirmation for ${envelope.TopicArn} (not re-subscribed)`, raw: envelope },
          };
        default:
          return readNotification(envelope, settings.name);
      }
    },
  };
}
