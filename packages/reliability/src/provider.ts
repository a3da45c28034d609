import { createTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';

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
  customer: string;
  texts: string[];
}

/**
 * Plays Twilio for one conversation: its messages in order, each retried on anything but 2xx
 * (5xx, 502 from the proxy, a dropped connection) with exponential backoff and jitter until
 * `giveUpAfterMs` — as Twilio's connection overrides and Meta's and SNS's retry policies do.
 * A customer writes the next message after the previous one was delivered.
 */
export async function playConversation(
  conversation: Conversation,
  target: { url: string; authToken: string; giveUpAfterMs: number },
  log: ProviderLog,
): Promise<void> {
  for (const [index, text] of conversation.texts.entries()) {
    log.offered++;
    const messageSid = `SM${conversation.id.toString(16).padStart(16, '0')}${index.toString(16).padStart(16, '0')}`;
    const params = twilioMessageParams({ from: conversation.customer, to: '+12065550100', body: text, messageSid });
    const until = Date.now() + target.giveUpAfterMs;
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      const status = await fetch(await createTwilioRequest({ url: `${target.url}/webhooks/twilio`, authToken: target.authToken, params }))
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
      const backoff = Math.min(1_000, 50 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }
}
