import { computeStandardWebhookSignature, checkStandardWebhookSecret } from '../../providers/standard-webhooks/signature.ts';
import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import type { Deliverer } from '../types.ts';
import { apiBase, channelFailure, postToChannel, requiredString } from './channel-failure.ts';

/**
 * Options of {@link createGenericDeliverer}.
 *
 * @example
 * const options: GenericDelivererOptions = { url: 'https://crm.example.com/connect-replies', secret: process.env.STANDARD_WEBHOOK_SECRET! };
 */
export interface GenericDelivererOptions {
  /** The full URL replies are POSTed to, as is (`GENERIC_OUTBOUND_URL`). */
  url: string;
  /** `whsec_…`: each request is signed per Standard Webhooks, as the inbound side verifies. */
  secret: string;
  /** The inbound provider whose customers it reaches. Default `generic`. */
  provider?: string;
  fetch?: typeof fetch;
}

/**
 * Replies to customers of your own system: a JSON POST signed per Standard Webhooks
 * (`webhook-id` is the same on every retry of a reply, so your endpoint can deduplicate):
 * `{"version":1,"type":"message","to":<customer>,"from":<business address>,"text":…}`. 2xx is
 * accepted; 408, 429, 5xx and network failures are retried; other statuses (410 for an opted-out
 * customer) are refusals.
 *
 * @example
 * const generic = createGenericDeliverer({ url: process.env.GENERIC_OUTBOUND_URL!, secret: process.env.STANDARD_WEBHOOK_SECRET! });
 */
export function createGenericDeliverer(options: GenericDelivererOptions): Deliverer {
  const url = apiBase(requiredString(options?.url, 'url'), 'https://example.com/replies', 'url');
  const secret = requiredString(options.secret, 'secret', true);
  const problem = checkStandardWebhookSecret(secret);
  if (problem !== undefined) throw new ConnectChatError('INVALID_OPTIONS', `secret: ${problem}`);
  const send = options.fetch ?? fetch;
  return {
    provider: options.provider ?? 'generic',
    maxLength: 16_384,
    async deliver({ address, text, idempotencyKey }, { signal }) {
      const body = new TextEncoder().encode(JSON.stringify({ version: 1, type: 'message', to: address.customer, from: address.business, text }));
      const id = `msg_${idempotencyKey}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = await computeStandardWebhookSignature(secret, id, timestamp, body);
      const response = await postToChannel('generic webhook', url, {
        fetch: send,
        signal,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
        body,
      });
      await response.body?.cancel();
      if (response.ok) return;
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      throw channelFailure('generic webhook', retryable, `HTTP ${response.status}`);
    },
  };
}
