import { X509Certificate, verify as verifySignature } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { SnsEnvelope } from '../providers/sns/envelope.ts';
import { createSnsSigner, endUserMessagingSms, type SnsSigner } from './sns-signer.ts';

const topicArn = 'arn:aws:sns:eu-west-1:123456789012:inbound-sms';

// AWS's documented string to sign, spelled out field by field, checked with OpenSSL through node:crypto:
// an implementation independent of both the signer's and the provider's.
function awsStringToSign(envelope: SnsEnvelope): string {
  if (envelope.Type === 'Notification') {
    const subject = envelope.Subject === undefined ? '' : `Subject\n${envelope.Subject}\n`;
    return `Message\n${envelope.Message}\nMessageId\n${envelope.MessageId}\n${subject}Timestamp\n${envelope.Timestamp}\nTopicArn\n${envelope.TopicArn}\nType\n${envelope.Type}\n`;
  }
  return `Message\n${envelope.Message}\nMessageId\n${envelope.MessageId}\nSubscribeURL\n${envelope.SubscribeURL}\nTimestamp\n${envelope.Timestamp}\nToken\n${envelope.Token}\nTopicArn\n${envelope.TopicArn}\nType\n${envelope.Type}\n`;
}

function opensslVerifies(signer: SnsSigner, envelope: SnsEnvelope): boolean {
  const certificate = new X509Certificate(signer.certificatePem);
  const algorithm = envelope.SignatureVersion === '1' ? 'sha1' : 'sha256';
  return verifySignature(algorithm, Buffer.from(awsStringToSign(envelope)), certificate.publicKey, Buffer.from(envelope.Signature, 'base64'));
}

function invalidOptionsMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS') return error.message;
    throw error;
  }
  throw new Error('expected INVALID_OPTIONS');
}

describe('createSnsSigner', () => {
  let v1: SnsSigner;
  let v2: SnsSigner;

  beforeAll(async () => {
    [v1, v2] = await Promise.all([createSnsSigner({ region: 'eu-west-1', signatureVersion: '1' }), createSnsSigner({ region: 'eu-west-1' })]);
  });

  it('makes a self-signed X.509 certificate at an SNS-shaped URL', () => {
    expect(v2.certificateUrl).toMatch(/^https:\/\/sns\.eu-west-1\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
    expect(v2.certificateUrl).not.toBe(v1.certificateUrl);
    const certificate = new X509Certificate(v2.certificatePem);
    expect(certificate.subject).toBe('CN=sns.amazonaws.com');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['1', () => v1],
    ['2', () => v2],
  ])('signs SignatureVersion %s envelopes exactly as AWS documents', async (version, signerOf) => {
    const signer = signerOf();
    const envelopes = [
      await signer.notification({ topicArn, message: { hello: 'wörld' }, subject: 'Subject line' }),
      await signer.notification({ topicArn, message: 'plain text' }),
      await signer.subscriptionConfirmation({ topicArn, token: 'abc123' }),
      await signer.unsubscribeConfirmation({ topicArn }),
    ];
    for (const envelope of envelopes) {
      expect(envelope.SignatureVersion).toBe(version);
      expect(envelope.SigningCertURL).toBe(signer.certificateUrl);
      expect(opensslVerifies(signer, envelope)).toBe(true);
      expect(opensslVerifies(signer, { ...envelope, Message: `${envelope.Message} ` })).toBe(false);
    }
    expect(envelopes[0]?.Message).toBe('{"hello":"wörld"}');
    expect(envelopes[0]?.Subject).toBe('Subject line');
    expect('Subject' in (envelopes[1] ?? {})).toBe(false);
    expect(envelopes[2]?.Token).toBe('abc123');
    expect(envelopes[2]?.SubscribeURL).toBe(
      `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topicArn)}&Token=abc123`,
    );
    expect(envelopes[3]?.Token).toMatch(/^[0-9a-f]{256}$/);
  });

  it('lays envelopes out in SNS member order', async () => {
    const notification = await v2.notification({ topicArn, message: 'x', subject: 's', messageId: 'id-1', timestamp: '2025-01-01T00:00:00.000Z' });
    expect(Object.keys(notification)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
    ]);
    expect(notification).toMatchObject({ MessageId: 'id-1', Timestamp: '2025-01-01T00:00:00.000Z' });
    const confirmation = await v2.subscriptionConfirmation({ topicArn });
    expect(Object.keys(confirmation)).toEqual([
      'Type',
      'MessageId',
      'Token',
      'TopicArn',
      'Message',
      'SubscribeURL',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
    ]);
  });

  it("builds the POST SNS sends, with SNS's headers", async () => {
    const notification = await v2.notification({ topicArn, message: 'x' });
    const request = v2.request(notification, { url: 'https://bridge.example/webhooks/sns' });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://bridge.example/webhooks/sns');
    expect(request.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(request.headers.get('user-agent')).toBe('Amazon Simple Notification Service Agent');
    expect(request.headers.get('x-amz-sns-message-type')).toBe('Notification');
    expect(request.headers.get('x-amz-sns-message-id')).toBe(notification.MessageId);
    expect(request.headers.get('x-amz-sns-topic-arn')).toBe(topicArn);
    expect(request.headers.get('x-amz-sns-subscription-arn')).toMatch(new RegExp(`^${topicArn}:[0-9a-f-]{36}$`));
    expect(JSON.parse(await request.text())).toEqual(notification);
    const confirmation = v2.request(await v2.subscriptionConfirmation({ topicArn }), { url: new URL('https://bridge.example/') });
    expect(confirmation.headers.get('x-amz-sns-message-type')).toBe('SubscriptionConfirmation');
    expect(confirmation.headers.has('x-amz-sns-subscription-arn')).toBe(false);
  });

  it('serves its certificate and records subscription confirmations through fetch', async () => {
    const signer = await createSnsSigner();
    const certificate = await signer.fetch(signer.certificateUrl);
    expect(certificate.status).toBe(200);
    expect(await certificate.text()).toBe(signer.certificatePem);
    const confirmation = await signer.subscriptionConfirmation({ topicArn });
    expect(signer.confirmedSubscriptions).toEqual([]);
    const confirmed = await signer.fetch(new URL(confirmation.SubscribeURL ?? ''));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain(`<SubscriptionArn>${topicArn}:`);
    expect(signer.confirmedSubscriptions).toEqual([confirmation.SubscribeURL]);
    expect((await signer.fetch('https://sns.us-east-1.amazonaws.com/other.pem')).status).toBe(404);
    await expect(signer.fetch(signer.certificateUrl, { signal: AbortSignal.abort() })).rejects.toThrow();
  });

  it('resolves only its own certificate URL', async () => {
    await expect(v2.resolveCertificate(new URL(v2.certificateUrl))).resolves.toBe(v2.certificatePem);
    await expect(v2.resolveCertificate(new URL(v1.certificateUrl))).rejects.toThrow(/no certificate/);
  });

  it('uses the .amazonaws.com.cn host in China regions', async () => {
    const china = await createSnsSigner({ region: 'cn-northwest-1' });
    expect(new URL(china.certificateUrl).hostname).toBe('sns.cn-northwest-1.amazonaws.com.cn');
  });

  it('rejects bad options and inputs with INVALID_OPTIONS', async () => {
    await expect(createSnsSigner({ region: 'moon' })).rejects.toThrow(
      /createSnsSigner\(options\)\.region: expected an AWS region such as us-east-1, got "moon"/,
    );
    await expect(createSnsSigner({ signatureVersion: '3' as '1' })).rejects.toThrow(/signatureVersion: expected "1" or "2", got "3"/);
    expect(invalidOptionsMessage(() => v2.notification({ topicArn: 'topic', message: 'x' }))).toMatch(
      /notification\(input\)\.topicArn: expected an SNS topic ARN, got "topic"/,
    );
    expect(invalidOptionsMessage(() => v2.notification({ topicArn, message: 42 as unknown as string }))).toMatch(
      /message: expected a string or an object, got a number/,
    );
    expect(invalidOptionsMessage(() => v2.subscriptionConfirmation({ topicArn: '' }))).toMatch(/subscriptionConfirmation\(input\)\.topicArn/);
    expect(invalidOptionsMessage(() => endUserMessagingSms({ from: '+1', to: '+2' } as never))).toMatch(
      /endUserMessagingSms\(input\)\.text: expected a string/,
    );
  });
});

describe('endUserMessagingSms', () => {
  it('builds the End User Messaging two-way SMS JSON', () => {
    expect(endUserMessagingSms({ from: '+14255550182', to: '+12125550101', text: 'join us', id: 'cae173d2' })).toEqual({
      originationNumber: '+14255550182',
      destinationNumber: '+12125550101',
      messageKeyword: 'JOIN',
      messageBody: 'join us',
      inboundMessageId: 'cae173d2',
      previousPublishedMessageId: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const a = endUserMessagingSms({ from: '+1', to: '+2', text: 'x', keyword: 'HELP' });
    const b = endUserMessagingSms({ from: '+1', to: '+2', text: 'x' });
    expect(a.messageKeyword).toBe('HELP');
    expect(a.inboundMessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.inboundMessageId).not.toBe(b.inboundMessageId);
  });
});
