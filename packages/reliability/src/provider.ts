import { createTwilioRequest, createWhatsAppRequest, twilioMessageParams, whatsAppTextPayload } from '@connect-chat/core/testing';

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
}

export interface Conversation {
  /** Makes its messages' ids unique. */
  id: number;
  /** Who delivers it, signed and retried as that provider does. */
  provider: 'twilio' | 'whatsapp';
  customer: string;
  texts: string[];
}

/** What the simulated providers sign with. */
export interface ProviderSecrets {
  twilioAuthToken: string;
  whatsAppAppSecret: string;
}

/**
 * How each provider retries a delivery that was not answered 2xx, compressed in time: Twilio's
 * connection overrides retry quickly; Meta retries with a longer, growing backoff.
 */
const backoff = { twilio: { firstMs: 50, maxMs: 1_000 }, whatsapp: { firstMs: 200, maxMs: 2_000 } } as const;

/** One signed delivery of a conversation's message, as its provider posts it. */
function delivery(conversation: Conversation, index: number, text: string, url: string, secrets: ProviderSecrets): Promise<Request> {
  const id = `${conversation.id.toString(16).padStart(16, '0')}${index.toString(16).padStart(16, '0')}`;
  if (conversation.provider === 'whatsapp') {
    const payload = whatsAppTextPayload({ from: conversation.customer, to: '+12065550100', text, id: `wamid.${id}` });
    return createWhatsAppRequest({ url: `${url}/webhooks/whatsapp`, appSecret: secrets.whatsAppAppSecret, payload });
  }
  const params = twilioMessageParams({ from: conversation.customer, to: '+12065550100', body: text, messageSid: `SM${id}` });
  return createTwilioRequest({ url: `${url}/webhooks/twilio`, authToken: secrets.twilioAuthToken, params });
}

/**
 * Plays a conversation's provider: its messages in order, each retried on anything but 2xx (5xx,
 * 502 from the proxy, a dropped connection) with the provider's exponential backoff and jitter until
 * `giveUpAfterMs`. A customer writes the next message after the previous one was delivered.
 */
export async function playConversation(
  conversation: Conversation,
  target: { url: string; secrets: ProviderSecrets; giveUpAfterMs: number },
  log: ProviderLog,
): Promise<void> {
  const { firstMs, maxMs } = backoff[conversation.provider];
  for (const [index, text] of conversation.texts.entries()) {
    log.offered++;
    const until = Date.now() + target.giveUpAfterMs;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const status = await fetch(await delivery(conversation, index, text, target.url, target.secrets))
        .then(async (response) => {
          await response.arrayBuffer();
          return response.status;
        })
        .catch(() => 0);
      log.requests++;
      log.latenciesMs.push(performance.now() - started);
      if (status >= 200 && status < 300) {
        log.accepted++;
        break;
      }
      if (Date.now() > until) {
        log.abandoned++;
        break;
      }
      const delayMs = Math.min(maxMs, firstMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, delayMs / 2 + Math.random() * (delayMs / 2)));
    }
  }
}
