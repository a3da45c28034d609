import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { EndUserMessagingInboundSms } from '../providers/sns/end-user-messaging.ts';
import type { SnsEnvelope } from '../providers/sns/envelope.ts';
import { isSnsTopicArn } from '../providers/sns/trust.ts';

/**
 * Options of {@link createSnsSigner}.
 *
 * @example
 * const options: SnsSignerOptions = { region: 'eu-west-1', signatureVersion: '1' };
 */
export interface SnsSignerOptions {
  /** The region in the certificate and subscription URLs. Default `us-east-1`. */
  region?: string;
  /** `1` signs with SHA-1, `2` with SHA-256 (SNS's choice per topic). Default `2`. */
  signatureVersion?: '1' | '2';
}

/**
 * What {@link SnsSigner.notification} publishes.
 *
 * @example
 * const input: SnsNotificationInput = { topicArn, message: endUserMessagingSms({ from, to, text: 'Hi' }) };
 */
export interface SnsNotificationInput {
  topicArn: string;
  /** A string is sent as is; anything else as its JSON. */
  message: string | object;
  messageId?: string;
  subject?: string;
  timestamp?: string;
  messageAttributes?: Record<string, { Type: string; Value: string }>;
}

/**
 * What {@link SnsSigner.subscriptionConfirmation} and {@link SnsSigner.unsubscribeConfirmation} take.
 *
 * @example
 * const envelope = await sns.subscriptionConfirmation({ topicArn, token: 'abc123' });
 */
export interface SnsConfirmationInput {
  topicArn: string;
  /** Default: a random hex token like SNS's. */
  token?: string;
  messageId?: string;
  timestamp?: string;
}

/**
 * An End User Messaging inbound SMS, for {@link endUserMessagingSms}.
 *
 * @example
 * const input: EndUserMessagingSmsInput = { from: '+14255550182', to: '+12125550101', text: 'JOIN' };
 */
export interface EndUserMessagingSmsInput {
  /** The customer, E.164. */
  from: string;
  /** Your number, E.164. */
  to: string;
  text: string;
  /** `inboundMessageId`; default a random UUID. */
  id?: string;
  /** Default: the first word of `text`, upper-cased. */
  keyword?: string;
}

/**
 * The fields {@link SnsSigner.sign} signs: an envelope before it has a signature.
 *
 * @example
 * const odd = await sns.sign({ Type: 'Notification', MessageId: 'm-1', TopicArn: topicArn, Message: 'x', Timestamp: new Date().toISOString() });
 */
export type UnsignedSnsEnvelope = Omit<SnsEnvelope, 'Signature' | 'SignatureVersion' | 'SigningCertURL'> & {
  SigningCertURL?: string;
};

/**
 * Plays Amazon SNS in tests: its own key pair and self-signed certificate, signed envelopes, the
 * HTTP requests SNS would send, and a fetch that serves the certificate and records confirmations.
 *
 * @example
 * const sns: SnsSigner = await createSnsSigner({ signatureVersion: '1' });
 * await handler.fetch(sns.request(await sns.subscriptionConfirmation({ topicArn }), { url }));
 * expect(sns.confirmedSubscriptions).toHaveLength(1);
 */
export interface SnsSigner {
  readonly region: string;
  readonly signatureVersion: '1' | '2';
  /** `https://sns.<region>.amazonaws.com/SimpleNotificationService-<hex>.pem` */
  readonly certificateUrl: string;
  readonly certificatePem: string;
  /** For `createSnsProvider({ resolveCertificate })`: the PEM for this signer's URL; rejects any other. */
  resolveCertificate(url: URL): Promise<string>;
  /** Serves `certificateUrl`, answers SubscribeURL GETs (recorded below), 404 for anything else. */
  readonly fetch: typeof fetch;
  /** Every SubscribeURL GET received by `fetch`, in order. */
  readonly confirmedSubscriptions: readonly string[];
  notification(input: SnsNotificationInput): Promise<SnsEnvelope>;
  subscriptionConfirmation(input: SnsConfirmationInput): Promise<SnsEnvelope>;
  unsubscribeConfirmation(input: SnsConfirmationInput): Promise<SnsEnvelope>;
  /** Signs any envelope fields as they are (for tests of odd envelopes); the version is the signer's. */
  sign(envelope: UnsignedSnsEnvelope): Promise<SnsEnvelope>;
  /** The `POST` SNS would send with an envelope, with SNS's real headers. */
  request(envelope: SnsEnvelope, options: { url: string | URL }): Request;
  endUserMessagingSms(input: EndUserMessagingSmsInput): EndUserMessagingInboundSms;
}

const regionShape = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const signatureOids = { '1': '1.2.840.113549.1.1.5', '2': '1.2.840.113549.1.1.11' } as const;
const dayMs = 24 * 60 * 60 * 1000;

function invalid(path: string, expected: string, got: unknown): ConnectChatError {
  const shown = typeof got === 'string' ? JSON.stringify(got) : got === null ? 'null' : Array.isArray(got) ? 'an array' : `a ${typeof got}`;
  return new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${shown}`);
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = '';
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// Written independently of the provider's version, so that tests compare two readings of AWS's rule.
function canonicalString(envelope: Record<string, unknown>): string {
  const names =
    envelope['Type'] === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return names
    .filter((name) => typeof envelope[name] === 'string')
    .map((name) => `${name}\n${envelope[name] as string}\n`)
    .join('');
}

// SNS's own member order, so bodies look like captured ones.
const envelopeOrder = [
  'Type',
  'MessageId',
  'Token',
  'TopicArn',
  'Subject',
  'Message',
  'SubscribeURL',
  'Timestamp',
  'SignatureVersion',
  'Signature',
  'SigningCertURL',
  'UnsubscribeURL',
  'MessageAttributes',
];

function inSnsOrder(envelope: Record<string, unknown>): SnsEnvelope {
  const ordered: Record<string, unknown> = {};
  for (const name of envelopeOrder) if (envelope[name] !== undefined) ordered[name] = envelope[name];
  for (const [name, value] of Object.entries(envelope)) if (!(name in ordered) && value !== undefined) ordered[name] = value;
  return ordered as unknown as SnsEnvelope;
}

async function selfSignedCertificatePem(keys: CryptoKeyPair, signatureVersion: '1' | '2'): Promise<string> {
  const algorithm = new AlgorithmIdentifier({ algorithm: signatureOids[signatureVersion], parameters: null });
  const name = new Name([
    new RelativeDistinguishedName([new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: 'sns.amazonaws.com' }) })]),
  ]);
  const serialNumber = crypto.getRandomValues(new Uint8Array(16));
  serialNumber[0] = ((serialNumber[0] ?? 0) & 0x7f) | 0x40; // positive and minimally encoded
  const now = Date.now();
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: serialNumber.buffer,
    signature: algorithm,
    issuer: name,
    validity: new Validity({ notBefore: new Date(now - dayMs), notAfter: new Date(now + 365 * dayMs) }),
    subject: name,
    subjectPublicKeyInfo: AsnConvert.parse(await crypto.subtle.exportKey('spki', keys.publicKey), SubjectPublicKeyInfo),
  });
  const signatureValue = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, AsnConvert.serialize(tbsCertificate));
  const der = AsnConvert.serialize(new Certificate({ tbsCertificate, signatureAlgorithm: algorithm, signatureValue }));
  const lines = toBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Builds the End User Messaging SMS two-way JSON that SNS carries in a notification's `Message`.
 *
 * @example
 * const sms = endUserMessagingSms({ from: '+14255550182', to: '+12125550101', text: 'JOIN' });
 */
export function endUserMessagingSms(input: EndUserMessagingSmsInput): EndUserMessagingInboundSms {
  if (typeof input !== 'object' || input === null) throw invalid('endUserMessagingSms(input)', 'an object { from, to, text }', input);
  for (const field of ['from', 'to', 'text'] as const) {
    if (typeof input[field] !== 'string') throw invalid(`endUserMessagingSms(input).${field}`, 'a string', input[field]);
  }
  return {
    originationNumber: input.from,
    destinationNumber: input.to,
    messageKeyword: input.keyword ?? (input.text.trim().split(/\s+/)[0] ?? '').toUpperCase(),
    messageBody: input.text,
    inboundMessageId: input.id ?? crypto.randomUUID(),
    previousPublishedMessageId: randomHex(20),
  };
}

/**
 * Creates a stand-in for Amazon SNS: sign envelopes with its own key and certificate and hand
 * `resolveCertificate` (or `fetch`) to the SNS provider. Web Crypto only, so it runs everywhere core does.
 *
 * @example
 * const sns = await createSnsSigner();
 * const provider = createSnsProvider({ topicArns: [topicArn], resolveCertificate: sns.resolveCertificate });
 * const envelope = await sns.notification({ topicArn, message: sns.endUserMessagingSms({ from, to, text: 'Hi' }) });
 * const response = await handler.fetch(sns.request(envelope, { url: 'https://bridge.example/webhooks/sns' }));
 */
export async function createSnsSigner(options: SnsSignerOptions = {}): Promise<SnsSigner> {
  if (typeof options !== 'object' || options === null) throw invalid('createSnsSigner(options)', 'an object', options);
  const region = options.region ?? 'us-east-1';
  if (typeof region !== 'string' || !regionShape.test(region)) throw invalid('createSnsSigner(options).region', 'an AWS region such as us-east-1', region);
  const signatureVersion = options.signatureVersion ?? '2';
  if (signatureVersion !== '1' && signatureVersion !== '2') {
    throw invalid('createSnsSigner(options).signatureVersion', '"1" or "2"', signatureVersion);
  }
  const hash = signatureVersion === '1' ? 'SHA-1' : 'SHA-256';
  const keys = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash }, true, [
    'sign',
    'verify',
  ]);
  const certificatePem = await selfSignedCertificatePem(keys, signatureVersion);
  const host = `sns.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
  const certificateUrl = `https://${host}/SimpleNotificationService-${randomHex(16)}.pem`;
  const subscriptionId = crypto.randomUUID();
  const confirmedSubscriptions: string[] = [];

  function checkTopic(method: string, input: { topicArn?: unknown } | null | undefined): string {
    const topicArn = input?.topicArn;
    if (!isSnsTopicArn(topicArn)) throw invalid(`${method}(input).topicArn`, 'an SNS topic ARN', topicArn);
    return topicArn;
  }

  async function sign(envelope: UnsignedSnsEnvelope): Promise<SnsEnvelope> {
    const unsigned: Record<string, unknown> = { ...envelope, SignatureVersion: signatureVersion, SigningCertURL: envelope.SigningCertURL ?? certificateUrl };
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', keys.privateKey, new TextEncoder().encode(canonicalString(unsigned)));
    return inSnsOrder({ ...unsigned, Signature: toBase64(signature) });
  }

  function confirmation(type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation', input: SnsConfirmationInput): Promise<SnsEnvelope> {
    const method = type === 'SubscriptionConfirmation' ? 'subscriptionConfirmation' : 'unsubscribeConfirmation';
    const topicArn = checkTopic(method, input);
    const token = input.token ?? randomHex(128);
    const message =
      type === 'SubscriptionConfirmation'
        ? `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`
        : `You have chosen to deactivate subscription ${topicArn}:${subscriptionId}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
    return sign({
      Type: type,
      MessageId: input.messageId ?? crypto.randomUUID(),
      Token: token,
      TopicArn: topicArn,
      Message: message,
      SubscribeURL: `https://${host}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=${encodeURIComponent(token)}`,
      Timestamp: input.timestamp ?? new Date().toISOString(),
    });
  }

  const serve = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    if (request.method === 'GET' && url.href === certificateUrl) {
      return new Response(certificatePem, { headers: { 'content-type': 'application/x-x509-ca-cert' } });
    }
    if (request.method === 'GET' && url.hostname === host && url.searchParams.get('Action') === 'ConfirmSubscription') {
      confirmedSubscriptions.push(url.href);
      const subscriptionArn = `${url.searchParams.get('TopicArn') ?? ''}:${subscriptionId}`;
      const body = `<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>${subscriptionArn}</SubscriptionArn></ConfirmSubscriptionResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></ConfirmSubscriptionResponse>`;
      return new Response(body, { headers: { 'content-type': 'text/xml' } });
    }
    return new Response('Not Found', { status: 404 });
  };

  return {
    region,
    signatureVersion,
    certificateUrl,
    certificatePem,
    fetch: serve as typeof fetch,
    confirmedSubscriptions,
    async resolveCertificate(url) {
      if (String(url) !== certificateUrl) throw new Error(`createSnsSigner: no certificate at ${String(url)}`);
      return certificatePem;
    },
    notification(input) {
      const topicArn = checkTopic('notification', input);
      if (typeof input.message !== 'string' && (typeof input.message !== 'object' || input.message === null)) {
        throw invalid('notification(input).message', 'a string or an object', input.message);
      }
      return sign({
        Type: 'Notification',
        MessageId: input.messageId ?? crypto.randomUUID(),
        TopicArn: topicArn,
        Subject: input.subject,
        Message: typeof input.message === 'string' ? input.message : JSON.stringify(input.message),
        Timestamp: input.timestamp ?? new Date().toISOString(),
        UnsubscribeURL: `https://${host}/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(`${topicArn}:${subscriptionId}`)}`,
        MessageAttributes: input.messageAttributes,
      });
    },
    subscriptionConfirmation: (input) => confirmation('SubscriptionConfirmation', input),
    unsubscribeConfirmation: (input) => confirmation('UnsubscribeConfirmation', input),
    sign,
    request(envelope, requestOptions) {
      const headers = new Headers({
        'content-type': 'text/plain; charset=UTF-8',
        'user-agent': 'Amazon Simple Notification Service Agent',
        'x-amz-sns-message-type': envelope.Type,
        'x-amz-sns-message-id': envelope.MessageId,
        'x-amz-sns-topic-arn': envelope.TopicArn,
      });
      if (envelope.Type !== 'SubscriptionConfirmation') headers.set('x-amz-sns-subscription-arn', `${envelope.TopicArn}:${subscriptionId}`);
      return new Request(requestOptions.url, { method: 'POST', headers, body: JSON.stringify(envelope, null, 2) });
    },
    endUserMessagingSms,
  };
}
