import { servedByHeader } from './proxy.ts';
import { createTwilioRequest, createWhatsAppRequest, type SnsSigner, twilioMessageParams, whatsAppTextPayload } from '@connect-chat/core/testing';

/** What one simulated provider saw: every webhook's latency, and what it gave up on. */
export interface ProviderLog {
  offered: number;
  /** Messages answered 2xx in the end. */
  accepted: number;
  /** Messages the provider stopped retrying (its retry window ran out). */
  abandoned: number;
  /** Every request's latency, ms (retries included). */
  latenciesMs: number[];
  requests: number;
  /** Every delivery attempt of each message, by its text: what the report shows for a doubled one. */
  attempts: Map<string, DeliveryAttempt[]>;
}

/** One delivery attempt as the provider saw it. */
export interface DeliveryAttempt {
  /** When it was posted (ISO time). */
  at: string;
  /** The answer's status; 0 when the connection failed. */
  status: number;
  ms: number;
  /** The instance the proxy sent it to, when it answered. */
  servedBy?: string;
  /** The provider's message id, as the bridges log it. */
  messageId: string;
}

export interface Conversation {
  /** Makes its messages' ids unique. */
  id: number;
  /** Who delivers it, signed and retried as that provider does (`sns`: End User Messaging SMS through SNS). */
  provider: 'twilio' | 'whatsapp' | 'sns';
  customer: string;
  texts: string[];
}

/**
 * Resolves once the providers have had `count` messages accepted; rejects, saying how many were,
 * when `workload` (every conversation played) settles first: a run in which too few messages get
 * through fails with that figure instead of waiting forever.
 */
export async function acceptedAtLeast(log: ProviderLog, count: number, workload: Promise<unknown>): Promise<void> {
  let over = false;
  workload.then(
    () => (over = true),
    () => (over = true),
  );
  while (log.accepted < count) {
    if (over) throw new Error(`the workload ended with ${log.accepted} of ${log.offered} messages accepted, before the ${count} the restart waits for`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Whether a provider takes an answer as delivered: any 2xx, nothing else. */
export function isAccepted(status: number): boolean {
  return status >= 200 && status < 300;
}

/** What the simulated providers sign with. */
export interface ProviderSecrets {
  twilioAuthToken: string;
  whatsAppAppSecret: string;
  /** SNS's key and certificate, and the topic End User Messaging publishes inbound SMS to. */
  sns: { signer: SnsSigner; topicArn: string };
}

/**
 * How each provider retries a delivery that was not answered 2xx (a 5xx, the proxy's 502, a dropped
 * connection or an answer that did not come in time):
 * - Twilio retries only within its connection overrides, here at their most (`#rc=5&rp=all&tt=15000`
 *   on the webhook URL): at most 5 retries, every attempt within 15 s of the first. Its default is
 *   one retry, on connection failures only.
 * - Meta retries with a growing backoff for days; SNS as its subscription's delivery policy says
 *   (the README's longer policy). Both are compressed in time here: they give up after `giveUpAfterMs`.
 */
const retryPolicies = {
  twilio: { firstMs: 50, maxMs: 1_000, maxAttempts: 6, windowMs: 15_000 },
  whatsapp: { firstMs: 200, maxMs: 2_000, maxAttempts: Number.POSITIVE_INFINITY, windowMs: undefined },
  sns: { firstMs: 1_000, maxMs: 1_000, maxAttempts: Number.POSITIVE_INFINITY, windowMs: undefined },
} as const;

const businessNumber = '+12065550100';

/**
 * A message's deliveries as its provider posts them: a function giving each attempt's request.
 * Twilio and Meta sign every attempt alike; SNS signs its envelope once and posts the same one again.
 */
async function deliveries(conversation: Conversation, messageId: string, text: string, url: string, secrets: ProviderSecrets): Promise<() => Promise<Request>> {
  const from = conversation.customer;
  if (conversation.provider === 'sns') {
    const { signer, topicArn } = secrets.sns;
    const envelope = await signer.notification({ topicArn, message: signer.endUserMessagingSms({ from, to: businessNumber, text, id: messageId }) });
    return async () => signer.request(envelope, { url: `${url}/webhooks/sns` });
  }
  if (conversation.provider === 'whatsapp') {
    const payload = whatsAppTextPayload({ from, to: businessNumber, text, id: messageId });
    return () => createWhatsAppRequest({ url: `${url}/webhooks/whatsapp`, appSecret: secrets.whatsAppAppSecret, payload });
  }
  const params = twilioMessageParams({ from, to: businessNumber, body: text, messageSid: messageId });
  return () => createTwilioRequest({ url: `${url}/webhooks/twilio`, authToken: secrets.twilioAuthToken, params });
}

/** A message's id as its provider assigns it: unique per conversation and position. */
function messageIdOf(conversation: Conversation, index: number): string {
  const id = `${conversation.id.toString(16).padStart(16, '0')}${index.toString(16).padStart(16, '0')}`;
  if (conversation.provider === 'sns') return crypto.randomUUID();
  return conversation.provider === 'whatsapp' ? `wamid.${id}` : `SM${id}`;
}

/**
 * Plays a conversation's provider: its messages in order, each retried on anything but 2xx with the
 * provider's backoff and jitter while its retry policy allows (at most `giveUpAfterMs`). A customer
 * writes the next message after the previous one was delivered or given up on.
 */
export async function playConversation(
  conversation: Conversation,
  target: { url: string; secrets: ProviderSecrets; giveUpAfterMs: number },
  log: ProviderLog,
): Promise<void> {
  const policy = retryPolicies[conversation.provider];
  for (const [index, text] of conversation.texts.entries()) {
    log.offered++;
    const messageId = messageIdOf(conversation, index);
    const attempts: DeliveryAttempt[] = [];
    log.attempts.set(text, attempts);
    const until = Date.now() + Math.min(policy.windowMs ?? target.giveUpAfterMs, target.giveUpAfterMs);
    const request = await deliveries(conversation, messageId, text, target.url, target.secrets);
    for (let attempt = 0; ; attempt++) {
      const at = new Date().toISOString();
      const started = performance.now();
      // Twilio stops waiting for an answer when its window ends; the others wait as long as it takes.
      const signal = policy.windowMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, until - Date.now()));
      const { status, servedBy } = await fetch(await request(), { signal })
        .then(async (response) => {
          await response.arrayBuffer();
          return { status: response.status, servedBy: response.headers.get(servedByHeader) ?? undefined };
        })
        .catch(() => ({ status: 0, servedBy: undefined }));
      const ms = Math.round(performance.now() - started);
      log.requests++;
      log.latenciesMs.push(ms);
      attempts.push({ at, status, ms, messageId, ...(servedBy ? { servedBy } : {}) });
      if (isAccepted(status)) {
        log.accepted++;
        break;
      }
      if (Date.now() >= until || attempt + 1 >= policy.maxAttempts) {
        log.abandoned++;
        break;
      }
      const delayMs = Math.min(policy.maxMs, policy.firstMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delayMs / 2 + Math.random() * (delayMs / 2)));
    }
  }
}
