import { readFile } from 'node:fs/promises';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { ReceivedRequest } from '../../wire/types.ts';
import type { Logger } from '../../logger.ts';
import { silentLogger } from '../../logger.ts';
import { createSnsSigner, type SnsSigner } from '../../testing/sns-signer.ts';
import type { ProviderContext } from '../types.ts';
import type { SnsEnvelope } from './envelope.ts';
import { createSnsProvider } from './sns-provider.ts';
import { received } from '../../../test/support/provider-requests.ts';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:inbound-sms';
const otherTopicArn = 'arn:aws:sns:us-east-1:123456789012:someone-elses-topic';
const webhookUrl = 'https://bridge.example/webhooks/sns';

function requestOf(signer: SnsSigner, envelope: SnsEnvelope): Promise<ReceivedRequest> {
  return received(signer.request(envelope, { url: webhookUrl }));
}

/** A fetch that records every URL and answers from the given signers (the far side: SNS itself). */
function recordingFetch(...signers: SnsSigner[]): { calls: string[]; fetch: typeof fetch } {
  const calls: string[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    calls.push(new Request(input, init).url);
    for (const signer of signers) {
      const response = await signer.fetch(input, init);
      if (response.status !== 404) return response;
    }
    return new Response('Not Found', { status: 404 });
  };
  return { calls, fetch: fetchImpl as typeof fetch };
}

function contextWith(fetchImpl: typeof fetch, logger: Logger = silentLogger): ProviderContext {
  return { logger, fetch: fetchImpl };
}

async function rejection(promise: Promise<unknown>): Promise<ConnectChatError> {
  try {
    await promise;
  } catch (error) {
    if (ConnectChatError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection, got a resolution');
}

function sms(signer: SnsSigner, id?: string) {
  return signer.endUserMessagingSms({ from: '+14255550182', to: '+12125550101', text: 'JOIN now', ...(id ? { id } : {}) });
}

let v2: SnsSigner;
let v1: SnsSigner;
let stranger: SnsSigner;

beforeAll(async () => {
  [v2, v1, stranger] = await Promise.all([createSnsSigner(), createSnsSigner({ signatureVersion: '1' }), createSnsSigner()]);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('createSnsProvider: notifications', () => {
  it.each([
    ['2', () => v2],
    ['1', () => v1],
  ])('verifies a SignatureVersion %s notification, fetching the certificate through context.fetch', async (version, signerOf) => {
    const signer = signerOf();
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(signer);
    const message = sms(signer, 'cae173d2-66b9-564c-8309-21f858e9fb84');
    const envelope = await signer.notification({ topicArn, message, subject: 'inbound' });
    expect(envelope.SignatureVersion).toBe(version);
    const request = await requestOf(signer, envelope);

    await provider.verify(request, contextWith(recorder.fetch));
    expect(recorder.calls).toEqual([signer.certificateUrl]);

    const result = await provider.parse(request, contextWith(recorder.fetch));
    expect(result).toEqual({
      kind: 'messages',
      ignored: [],
      messages: [
        {
          provider: 'sns',
          id: 'cae173d2-66b9-564c-8309-21f858e9fb84',
          channel: 'sms',
          kind: 'message',
          from: '+14255550182',
          to: '+12125550101',
          text: 'JOIN now',
          media: [],
          timestamp: envelope.Timestamp,
          raw: message,
        },
      ],
    });
  });

  it('uses the SNS MessageId as the message id when End User Messaging gives none', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn], name: 'eum' });
    const { inboundMessageId: _, ...withoutId } = sms(v2);
    const envelope = await v2.notification({ topicArn, message: withoutId, messageId: 'sns-message-1' });
    const result = await provider.parse(await requestOf(v2, envelope), contextWith(v2.fetch));
    expect(result.kind === 'messages' && result.messages.map((m) => [m.provider, m.id])).toEqual([['eum', 'sns-message-1']]);
  });

  it('parses real-shaped fixtures once signed', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn], resolveCertificate: v1.resolveCertificate });
    const fixture = JSON.parse(await readFile(new URL('./fixtures/notification-end-user-messaging-sms.json', import.meta.url), 'utf8')) as SnsEnvelope;
    const { Signature: _s, SignatureVersion: _v, SigningCertURL: _c, ...fields } = fixture;
    const envelope = await v1.sign(fields);
    const request = await requestOf(v1, envelope);
    await provider.verify(request, contextWith(v1.fetch));
    const result = await provider.parse(request, contextWith(v1.fetch));
    expect(result.kind === 'messages' && result.messages[0]).toMatchObject({
      id: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      from: '+14255550182',
      to: '+12125550101',
      text: 'EXAMPLE',
      timestamp: '2025-02-12T00:43:44.672Z',
    });
  });

  it.each([
    ['plain text', 'Hello world!', /not JSON/],
    [
      'other JSON',
      { eventType: 'TEXT_DELIVERED', messageId: 'x' },
      /not an End User Messaging inbound SMS \(no string originationNumber, destinationNumber, messageBody\)/,
    ],
    ['a JSON array', [1, 2], /not a JSON object/],
  ])('answers a notification carrying %s with no message and one ignored entry', async (_label, message, reason) => {
    const provider = createSnsProvider({ topicArns: [topicArn], resolveCertificate: v2.resolveCertificate });
    const envelope = await v2.notification({ topicArn, message });
    const request = await requestOf(v2, envelope);
    await provider.verify(request, contextWith(v2.fetch));
    const result = await provider.parse(request, contextWith(v2.fetch));
    expect(result.kind).toBe('messages');
    if (result.kind !== 'messages') return;
    expect(result.messages).toEqual([]);
    expect(result.ignored).toHaveLength(1);
    expect(result.ignored[0]?.provider).toBe('sns');
    expect(result.ignored[0]?.reason).toMatch(reason);
    expect(result.ignored[0]?.raw).toEqual(envelope);
  });
});

describe('createSnsProvider: signature failures are 401', () => {
  it('refuses a tampered Message', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const envelope = await v2.notification({ topicArn, message: sms(v2) });
    const tampered = { ...envelope, Message: envelope.Message.replace('JOIN now', 'STOP') };
    const error = await rejection(provider.verify(await requestOf(v2, tampered), contextWith(v2.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/signature does not match/);
  });

  it('refuses a Subject added to or removed from what was signed', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const withSubject = await v2.notification({ topicArn, message: 'x', subject: 'Hello' });
    const withoutSubject = await v2.notification({ topicArn, message: 'x' });
    const { Subject: _, ...removed } = withSubject;
    const added = { ...withoutSubject, Subject: 'Hello' };
    for (const envelope of [removed as SnsEnvelope, added]) {
      const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(v2.fetch)));
      expect(error.code).toBe('SIGNATURE_INVALID');
    }
    await expect(provider.verify(await requestOf(v2, withSubject), contextWith(v2.fetch))).resolves.toBeUndefined();
    await expect(provider.verify(await requestOf(v2, withoutSubject), contextWith(v2.fetch))).resolves.toBeUndefined();
  });

  it("refuses a signature made with another key than the certificate's", async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2, stranger);
    const forged = await stranger.sign({
      Type: 'Notification',
      MessageId: 'forged-1',
      TopicArn: topicArn,
      Message: JSON.stringify(sms(stranger)),
      Timestamp: new Date().toISOString(),
      SigningCertURL: v2.certificateUrl,
    });
    const error = await rejection(provider.verify(await requestOf(stranger, forged), contextWith(recorder.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
    expect(recorder.calls).toEqual([v2.certificateUrl]);
  });

  it('refuses an unsupported SignatureVersion before any fetch', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2);
    const envelope = { ...(await v2.notification({ topicArn, message: 'x' })), SignatureVersion: '3' };
    const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.message).toMatch(/SignatureVersion "3" is not supported/);
    expect(recorder.calls).toEqual([]);
  });

  it('refuses a Signature that is not base64 before any fetch', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2);
    const envelope = { ...(await v2.notification({ topicArn, message: 'x' })), Signature: '%%%not base64%%%' };
    const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
    expect(recorder.calls).toEqual([]);
  });

  it.each([
    ['http:', 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['a foreign host', 'https://sns.evil.com/SimpleNotificationService-abc.pem'],
    ['an SNS-looking prefix', 'https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-abc.pem'],
    ['a trailing dot', 'https://sns.us-east-1.amazonaws.com./SimpleNotificationService-abc.pem'],
    ['a path not ending in .pem', 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.txt'],
    ['.pem only in the query', 'https://sns.us-east-1.amazonaws.com/cert?x=.pem'],
    ['userinfo before a foreign host', 'https://sns.us-east-1.amazonaws.com@evil.com/SimpleNotificationService-abc.pem'],
    ['userinfo before the SNS host', 'https://evil.com@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['the SNS host in the path', 'https://evil.com/sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['a non-default port', 'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem'],
    ['a too-short region', 'https://sns.ab.amazonaws.com/SimpleNotificationService-abc.pem'],
    // S3 serves any bucket named "sns" at these legacy virtual-host names: anyone's certificate.
    ['an S3 bucket named sns (s3-<region> endpoint)', 'https://sns.s3-us-west-2.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['an S3 bucket named sns (s3-external-1 endpoint)', 'https://sns.s3-external-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['an S3 website bucket named sns', 'https://sns.s3-website-us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['an EC2-style host label', 'https://sns.compute-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['no URL at all', 'not a url'],
  ])('refuses a SigningCertURL with %s, without fetching anything', async (_label, certificateUrl) => {
    const resolved: string[] = [];
    const provider = createSnsProvider({
      topicArns: [topicArn],
      resolveCertificate: async (url) => {
        resolved.push(url.href);
        return v2.certificatePem;
      },
    });
    const recorder = recordingFetch(v2);
    const envelope = await v2.sign({
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: topicArn,
      Message: 'x',
      Timestamp: new Date().toISOString(),
      SigningCertURL: certificateUrl,
    });
    const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
    expect(error.message).toMatch(/^SNS SigningCertURL /);
    expect(recorder.calls).toEqual([]);
    expect(resolved).toEqual([]);
  });

  it('accepts the China partition host (.amazonaws.com.cn)', async () => {
    const china = await createSnsSigner({ region: 'cn-north-1' });
    const chinaTopic = 'arn:aws-cn:sns:cn-north-1:123456789012:inbound-sms';
    expect(new URL(china.certificateUrl).hostname).toBe('sns.cn-north-1.amazonaws.com.cn');
    const provider = createSnsProvider({ topicArns: [chinaTopic] });
    const envelope = await china.notification({ topicArn: chinaTopic, message: 'x' });
    await expect(provider.verify(await requestOf(china, envelope), contextWith(china.fetch))).resolves.toBeUndefined();
  });

  it('answers 503 (SNS retries) when the certificate cannot be fetched, remembering the failure only briefly', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-02-12T00:00:00Z'));
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    let failures = 0;
    const failing = (async () => {
      failures++;
      return new Response('Service Unavailable', { status: 503 });
    }) as typeof fetch;
    const error = await rejection(provider.verify(request, contextWith(failing)));
    expect(error).toMatchObject({ code: 'VERIFICATION_UNAVAILABLE', status: 503 });
    expect(error.message).toMatch(/could not be obtained now \(HTTP 503\)/);
    // Within the failure TTL (5 s by default) a burst costs no further fetch.
    expect(await rejection(provider.verify(request, contextWith(failing)))).toMatchObject({ code: 'VERIFICATION_UNAVAILABLE' });
    expect(failures).toBe(1);
    vi.setSystemTime(new Date('2025-02-12T00:00:05.001Z'));
    const recorder = recordingFetch(v2);
    await provider.verify(request, contextWith(recorder.fetch));
    expect(recorder.calls).toEqual([v2.certificateUrl]);
  });

  it('never remembers a failure longer than the Retry-After answered with it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-02-12T00:00:00Z'));
    const provider = createSnsProvider({ topicArns: [topicArn], certificateFailureTtlMs: 30_000 });
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    const failing = (async () => new Response('', { status: 500 })) as typeof fetch;
    await rejection(provider.verify(request, { ...contextWith(failing), retryAfterSeconds: 2 }));
    vi.setSystemTime(new Date('2025-02-12T00:00:02.001Z'));
    const recorder = recordingFetch(v2);
    await provider.verify(request, { ...contextWith(recorder.fetch), retryAfterSeconds: 2 });
    expect(recorder.calls).toHaveLength(1);
  });

  it('never follows a redirect from the certificate host: 503, one fetch, redirect: manual', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    const seen: RequestInit[] = [];
    const redirecting = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      seen.push(init ?? {});
      return new Response(null, { status: 302, headers: { location: 'https://evil.example/key.pem' } });
    }) as typeof fetch;
    expect(await rejection(provider.verify(request, contextWith(redirecting)))).toMatchObject({ code: 'VERIFICATION_UNAVAILABLE', status: 503 });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.redirect).toBe('manual');
  });

  it('answers 503 at once past maxConcurrentCertificateFetches instead of queueing fetches without bound', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn], maxConcurrentCertificateFetches: 1 });
    const other = await createSnsSigner();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls: string[] = [];
    const slow = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(String(input));
      await gate;
      return (String(input) === v2.certificateUrl ? v2 : other).fetch(input, init);
    }) as typeof fetch;
    const first = provider.verify(await requestOf(v2, await v2.notification({ topicArn, message: 'x' })), contextWith(slow));
    const second = await rejection(provider.verify(await requestOf(other, await other.notification({ topicArn, message: 'y' })), contextWith(slow)));
    expect(second).toMatchObject({ code: 'VERIFICATION_UNAVAILABLE' });
    expect(calls).toEqual([v2.certificateUrl]);
    release();
    await expect(first).resolves.toBeUndefined();
  });

  it.each(['?x=1', '#frag', '?'])('refuses a SigningCertURL carrying %j with 401, before any fetch', async (suffix) => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const envelope = await v2.sign({ ...(await v2.notification({ topicArn, message: 'x' })), SigningCertURL: `${v2.certificateUrl}${suffix}` });
    const recorder = recordingFetch(v2);
    const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', status: 401 });
    expect(error.message).toContain('query or fragment');
    expect(recorder.calls).toEqual([]);
  });

  it('answers 401 when the certificate is not a certificate', async () => {
    const provider = createSnsProvider({
      topicArns: [topicArn],
      resolveCertificate: async () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    });
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    const error = await rejection(provider.verify(request, contextWith(v2.fetch)));
    expect(error).toBeInstanceOf(SignatureError);
  });

  it.each([
    ['a fetch that honours its signal', true],
    ['a fetch that ignores its signal', false],
  ])('answers 503 (transient) when the certificate fetch times out, with %s', async (_label, honoursSignal) => {
    const provider = createSnsProvider({ topicArns: [topicArn], fetchTimeoutMs: 50 });
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    const hanging = ((_input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        if (honoursSignal) init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      })) as typeof fetch;
    const error = await rejection(provider.verify(request, contextWith(hanging)));
    expect(error).toMatchObject({ code: 'VERIFICATION_UNAVAILABLE', status: 503 });
    expect(error.message).toMatch(/timed out/);
  });
});

describe('createSnsProvider: replay window (maxMessageAgeSeconds)', () => {
  it('refuses with 401 a verified notification signed longer ago than the window, and accepts a fresh one', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn], maxMessageAgeSeconds: 3_600 });
    const old = await v2.notification({ topicArn, message: sms(v2), timestamp: new Date(Date.now() - 3_601_000).toISOString() });
    const error = await rejection(provider.verify(await requestOf(v2, old), contextWith(v2.fetch)));
    expect(error).toMatchObject({ code: 'SIGNATURE_INVALID', status: 401 });
    expect(error.message).toContain('maxMessageAgeSeconds');
    const fresh = await v2.notification({ topicArn, message: sms(v2), timestamp: new Date(Date.now() - 3_500_000).toISOString() });
    await expect(provider.verify(await requestOf(v2, fresh), contextWith(v2.fetch))).resolves.toBeUndefined();
  });

  it('is off by default: SNS keeps the first Timestamp on every retry', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const old = await v2.notification({ topicArn, message: sms(v2), timestamp: '2020-01-01T00:00:00.000Z' });
    await expect(provider.verify(await requestOf(v2, old), contextWith(v2.fetch))).resolves.toBeUndefined();
  });
});

describe('createSnsProvider: topics and envelopes', () => {
  it('answers 403 for a notification from a topic outside the allow-list, before fetching anything', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const envelope = await v2.notification({ topicArn: otherTopicArn, message: sms(v2) });
    const recorder = recordingFetch(v2);
    const error = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.status).toBe(403);
    // A foreign topic never makes the bridge fetch: forged or not, it is refused the same way.
    const forged = { ...envelope, Message: 'changed' };
    expect((await rejection(provider.verify(await requestOf(v2, forged), contextWith(recorder.fetch)))).code).toBe('FORBIDDEN');
    expect(recorder.calls).toEqual([]);
  });

  it('accepts a function deciding which topics are allowed', async () => {
    const provider = createSnsProvider({ topicArns: (arn) => arn.endsWith(':inbound-sms') });
    const allowed = await v2.notification({ topicArn, message: 'x' });
    const denied = await v2.notification({ topicArn: otherTopicArn, message: 'x' });
    await expect(provider.verify(await requestOf(v2, allowed), contextWith(v2.fetch))).resolves.toBeUndefined();
    expect((await rejection(provider.verify(await requestOf(v2, denied), contextWith(v2.fetch)))).code).toBe('FORBIDDEN');
  });

  it('refuses raw message delivery with 400 and says how to fix it', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2);
    const raw = new Request(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        'x-amz-sns-rawdelivery': 'true',
        'x-amz-sns-message-type': 'Notification',
        'x-amz-sns-topic-arn': topicArn,
      },
      body: JSON.stringify(sms(v2)),
    });
    const error = await rejection(provider.verify(await received(raw), contextWith(recorder.fetch)));
    expect(error.code).toBe('MALFORMED_PAYLOAD');
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/raw message delivery cannot be verified: turn RawMessageDelivery off/);
    // Without the header, a JSON body that is no envelope is recognised as raw delivery too.
    const headerless = new Request(webhookUrl, { method: 'POST', body: JSON.stringify(sms(v2)) });
    const second = await rejection(provider.verify(await received(headerless), contextWith(recorder.fetch)));
    expect(second.code).toBe('MALFORMED_PAYLOAD');
    expect(second.message).toMatch(/no envelope/);
    expect(recorder.calls).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '{"Type": "Notification",', /not JSON/],
    ['a JSON array', '[]', /not a JSON object/],
    ['an unknown Type', JSON.stringify({ Type: 'Surprise', Signature: 'x' }), /Type: expected one of/],
    [
      'a missing MessageId',
      JSON.stringify({
        Type: 'Notification',
        TopicArn: topicArn,
        Message: 'x',
        Timestamp: 't',
        SignatureVersion: '2',
        Signature: 'x',
        SigningCertURL: 'https://x',
      }),
      /MessageId: expected a string, got nothing/,
    ],
    [
      'a SubscriptionConfirmation without Token',
      JSON.stringify({
        Type: 'SubscriptionConfirmation',
        MessageId: 'm',
        TopicArn: topicArn,
        Message: 'x',
        Timestamp: 't',
        SignatureVersion: '2',
        Signature: 'x',
        SigningCertURL: 'https://x',
        SubscribeURL: 'https://x',
      }),
      /Token: expected a string/,
    ],
  ])('answers 400 for %s', async (_label, body, message) => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    for (const call of [provider.verify, provider.parse]) {
      const error = await rejection(call(await received(new Request(webhookUrl, { method: 'POST', body })), contextWith(v2.fetch)));
      expect(error.code).toBe('MALFORMED_PAYLOAD');
      expect(error.message).toMatch(message);
    }
  });

  it('answers 400 when x-amz-sns-message-type contradicts the envelope', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const request = v2.request(await v2.notification({ topicArn, message: 'x' }), { url: webhookUrl });
    request.headers.set('x-amz-sns-message-type', 'SubscriptionConfirmation');
    const error = await rejection(provider.verify(await received(request), contextWith(v2.fetch)));
    expect(error.code).toBe('MALFORMED_PAYLOAD');
    expect(error.message).toMatch(/does not match the envelope Type/);
  });
});

describe('createSnsProvider: subscriptions', () => {
  it('confirms a subscription of an allowed topic by fetching its SubscribeURL once', async () => {
    const signer = await createSnsSigner();
    const info: string[] = [];
    const logger: Logger = { ...silentLogger, info: (message) => info.push(message) };
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(signer);
    const envelope = await signer.subscriptionConfirmation({ topicArn });
    const request = await requestOf(signer, envelope);
    await provider.verify(request, contextWith(recorder.fetch, logger));
    const result = await provider.parse(request, contextWith(recorder.fetch, logger));
    expect(result).toEqual({ kind: 'reply', response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"confirmed":true}' } });
    expect(signer.confirmedSubscriptions).toEqual([envelope.SubscribeURL]);
    expect(recorder.calls.filter((url) => url === envelope.SubscribeURL)).toHaveLength(1);
    expect(info).toContain('sns subscription confirmed');
  });

  it('answers 403 to a subscription of a topic outside the allow-list and never confirms it', async () => {
    const signer = await createSnsSigner();
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(signer);
    const request = await requestOf(signer, await signer.subscriptionConfirmation({ topicArn: otherTopicArn }));
    expect((await rejection(provider.verify(request, contextWith(recorder.fetch)))).status).toBe(403);
    expect((await rejection(provider.parse(request, contextWith(recorder.fetch)))).status).toBe(403);
    expect(signer.confirmedSubscriptions).toEqual([]);
    expect(recorder.calls).toEqual([]);
  });

  it('refuses a validly signed SubscribeURL on a foreign host without fetching it', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2);
    const genuine = await v2.subscriptionConfirmation({ topicArn });
    const { Signature: _s, SignatureVersion: _v, SigningCertURL: _c, ...fields } = genuine;
    const envelope = await v2.sign({
      ...fields,
      SubscribeURL: `https://sns.us-east-1.amazonaws.com.evil.com/?Action=ConfirmSubscription&Token=${genuine.Token}`,
    });
    const request = await requestOf(v2, envelope);
    const verifyError = await rejection(provider.verify(request, contextWith(recorder.fetch)));
    expect(verifyError).toBeInstanceOf(SignatureError);
    expect(verifyError.message).toMatch(/SubscribeURL host .* is not an Amazon SNS host/);
    expect((await rejection(provider.parse(request, contextWith(recorder.fetch)))).code).toBe('SIGNATURE_INVALID');
    expect(recorder.calls.some((url) => url.includes('evil.com'))).toBe(false);
  });

  it('refuses a validly signed SubscribeURL served by an S3 bucket named sns without fetching it', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(v2);
    const genuine = await v2.subscriptionConfirmation({ topicArn });
    const { Signature: _s, SignatureVersion: _v, SigningCertURL: _c, ...fields } = genuine;
    const envelope = await v2.sign({ ...fields, SubscribeURL: `https://sns.s3-us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=${genuine.Token}` });
    const verifyError = await rejection(provider.verify(await requestOf(v2, envelope), contextWith(recorder.fetch)));
    expect(verifyError.message).toMatch(/SubscribeURL host .* is not an Amazon SNS host/);
    expect(recorder.calls.some((url) => url.includes('s3-us-west-2'))).toBe(false);
  });

  it('answers 503 when the confirmation fails, so SNS delivers it again', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn], resolveCertificate: v2.resolveCertificate, fetchTimeoutMs: 50 });
    const request = await requestOf(v2, await v2.subscriptionConfirmation({ topicArn }));
    const failing = (async () => new Response('<Error/>', { status: 500 })) as typeof fetch;
    const hanging = (() => new Promise<Response>(() => {})) as typeof fetch;
    for (const [fetchImpl, reason] of [
      [failing, /HTTP 500/],
      [hanging, /timed out/],
    ] as const) {
      await provider.verify(request, contextWith(fetchImpl));
      const error = await rejection(provider.parse(request, contextWith(fetchImpl)));
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.status).toBe(503);
      expect(error.message).toMatch(reason);
    }
  });

  it('with autoConfirm off, answers 200 without confirming and reports the subscription as ignored', async () => {
    const signer = await createSnsSigner();
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const provider = createSnsProvider({ topicArns: [topicArn], autoConfirm: false });
    const envelope = await signer.subscriptionConfirmation({ topicArn });
    const request = await requestOf(signer, envelope);
    await provider.verify(request, contextWith(signer.fetch, logger));
    const result = await provider.parse(request, contextWith(signer.fetch, logger));
    expect(result.kind).toBe('reply');
    if (result.kind !== 'reply') return;
    expect(result.response.status).toBe(200);
    expect(JSON.parse(result.response.body)).toEqual({ confirmed: false });
    expect(result.ignored?.reason).toMatch(/was not confirmed \(autoConfirm is off\)/);
    expect(result.ignored?.raw).toEqual(envelope);
    expect(signer.confirmedSubscriptions).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('verifies an UnsubscribeConfirmation over its Token, answers 200, reports it and never re-subscribes', async () => {
    const signer = await createSnsSigner({ signatureVersion: '1' });
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const recorder = recordingFetch(signer);
    const envelope = await signer.unsubscribeConfirmation({ topicArn });
    const request = await requestOf(signer, envelope);
    await provider.verify(request, contextWith(recorder.fetch));
    const result = await provider.parse(request, contextWith(recorder.fetch));
    expect(result.kind).toBe('reply');
    if (result.kind !== 'reply') return;
    expect(result.response.status).toBe(200);
    expect(result.ignored).toMatchObject({ provider: 'sns', reason: expect.stringMatching(/UnsubscribeConfirmation/), raw: envelope });
    expect(signer.confirmedSubscriptions).toEqual([]);
    expect(recorder.calls).toEqual([signer.certificateUrl]);
    // Token is part of what was signed (the old sns-validator left it out and rejected valid ones).
    const tampered = await requestOf(signer, { ...envelope, Token: `${envelope.Token}0` });
    expect((await rejection(provider.verify(tampered, contextWith(recorder.fetch)))).code).toBe('SIGNATURE_INVALID');
  });
});

describe('createSnsProvider: certificate cache', () => {
  it('fetches a certificate once for successive and for concurrent deliveries', async () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    const calls: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Request(input, init).url);
      await gate;
      return v2.fetch(input, init);
    }) as typeof fetch;
    const requests = await Promise.all([1, 2, 3].map(async (n) => requestOf(v2, await v2.notification({ topicArn, message: `m${n}` }))));
    const concurrent = requests.map((request) => provider.verify(request, contextWith(gated)));
    release();
    await Promise.all(concurrent);
    expect(calls).toEqual([v2.certificateUrl]);
    await provider.verify(requests[0]!, contextWith(gated));
    expect(calls).toHaveLength(1);
  });

  it('keeps at most certificateCacheSize certificates, evicting the least recently used', async () => {
    const [a, b, c] = await Promise.all([createSnsSigner(), createSnsSigner(), createSnsSigner()]);
    const provider = createSnsProvider({ topicArns: [topicArn], certificateCacheSize: 2 });
    const recorder = recordingFetch(a!, b!, c!);
    const deliver = async (signer: SnsSigner) =>
      provider.verify(await requestOf(signer, await signer.notification({ topicArn, message: 'x' })), contextWith(recorder.fetch));
    await deliver(a!);
    await deliver(b!);
    await deliver(a!); // a is now the most recently used
    await deliver(c!); // evicts b
    await deliver(a!);
    expect(recorder.calls).toEqual([a!.certificateUrl, b!.certificateUrl, c!.certificateUrl]);
    await deliver(b!);
    expect(recorder.calls).toEqual([a!.certificateUrl, b!.certificateUrl, c!.certificateUrl, b!.certificateUrl]);
  });

  it('fetches a certificate again once certificateTtlMs has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-02-12T00:00:00Z'));
    const provider = createSnsProvider({ topicArns: [topicArn], certificateTtlMs: 60_000 });
    const recorder = recordingFetch(v2);
    const request = await requestOf(v2, await v2.notification({ topicArn, message: 'x' }));
    await provider.verify(request, contextWith(recorder.fetch));
    vi.setSystemTime(new Date('2025-02-12T00:00:59Z'));
    await provider.verify(request, contextWith(recorder.fetch));
    expect(recorder.calls).toHaveLength(1);
    vi.setSystemTime(new Date('2025-02-12T00:01:01Z'));
    await provider.verify(request, contextWith(recorder.fetch));
    expect(recorder.calls).toHaveLength(2);
  });

  it('uses resolveCertificate instead of fetching, after the host rules', async () => {
    const resolved: string[] = [];
    const provider = createSnsProvider({
      topicArns: [topicArn],
      resolveCertificate: async (url) => {
        resolved.push(url.href);
        return v2.resolveCertificate(url);
      },
    });
    const recorder = recordingFetch(v2);
    await provider.verify(await requestOf(v2, await v2.notification({ topicArn, message: 'x' })), contextWith(recorder.fetch));
    expect(resolved).toEqual([v2.certificateUrl]);
    expect(recorder.calls).toEqual([]);
  });
});

describe('createSnsProvider: options', () => {
  it('has the name, methods and content types the handler needs', () => {
    const provider = createSnsProvider({ topicArns: [topicArn] });
    expect(provider.name).toBe('sns');
    expect(provider.methods).toEqual(['POST']);
    expect(provider.contentTypes).toBeUndefined();
  });

  it.each([
    [undefined, /^createSnsProvider options: expected an object with topicArns, got nothing$/],
    [{}, /options\.topicArns: expected an array of SNS topic ARNs or a function/],
    [{ topicArns: [] }, /options\.topicArns: expected at least one SNS topic ARN, got an empty array$/],
    [{ topicArns: [topicArn, 'arn:aws:sqs:us-east-1:123456789012:queue'] }, /options\.topicArns\[1\]: expected an SNS topic ARN/],
    [{ topicArns: topicArn }, /options\.topicArns: expected an array/],
    [{ topicArns: [topicArn], autoConfirm: 'yes' }, /options\.autoConfirm: expected a boolean, got "yes"/],
    [{ topicArns: [topicArn], certificateCacheSize: 0 }, /options\.certificateCacheSize: expected a positive integer, got 0/],
    [{ topicArns: [topicArn], certificateCacheSize: 1.5 }, /options\.certificateCacheSize: expected a positive integer/],
    [{ topicArns: [topicArn], certificateTtlMs: -1 }, /options\.certificateTtlMs: expected a positive number/],
    [{ topicArns: [topicArn], fetchTimeoutMs: Number.POSITIVE_INFINITY }, /options\.fetchTimeoutMs: expected a positive number/],
    [{ topicArns: [topicArn], resolveCertificate: 'pem' }, /options\.resolveCertificate: expected a function/],
    [{ topicArns: [topicArn], name: 'SNS Provider' }, /options\.name: expected a short lowercase name/],
  ])('throws INVALID_OPTIONS at construction for %j', (options, message) => {
    let thrown: unknown;
    try {
      createSnsProvider(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(ConnectChatError.is(thrown) && thrown.code).toBe('INVALID_OPTIONS');
    expect((thrown as Error).message).toMatch(message);
  });

  it('accepts GovCloud and China topic ARNs and FIFO topics', () => {
    expect(() =>
      createSnsProvider({
        topicArns: [
          'arn:aws-us-gov:sns:us-gov-west-1:123456789012:sms',
          'arn:aws-cn:sns:cn-north-1:123456789012:sms',
          'arn:aws:sns:eu-west-1:123456789012:sms.fifo',
        ],
      }),
    ).not.toThrow();
  });
});
