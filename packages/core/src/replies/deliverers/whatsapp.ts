import type { Deliverer } from '../types.ts';
import { apiBase, channelFailure, errorBody, postToChannel, requiredString } from './channel-failure.ts';

/**
 * Options of {@link createWhatsAppDeliverer}.
 *
 * @example
 * const options: WhatsAppDelivererOptions = { accessToken: process.env.WHATSAPP_ACCESS_TOKEN!, apiUrl: 'http://127.0.0.1:4050' };
 */
export interface WhatsAppDelivererOptions {
  /** A system user's access token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** Replaces `https://graph.facebook.com` (`WHATSAPP_API_URL`), without a version. */
  apiUrl?: string;
  fetch?: typeof fetch;
}

/** The Graph API version this deliverer is built and tested for. */
export const graphApiVersion = 'v21.0';
const maxBody = 4_096;
/** Meta's codes a retry can help: rate limits (account, pair). */
const retryableCodes = [4, 80007, 130429, 131048, 131056];

/**
 * Replies to WhatsApp Cloud API customers: `POST /{version}/{phone_number_id}/messages` from the
 * number they wrote to, a text message to their `wa_id`. Meta reports most failures as HTTP 400
 * with a code: rate limits (130429, 131056) and 5xx are retryable; 131047 (the 24-hour window
 * closed: templates only), 131026 (undeliverable) and other codes are refusals.
 *
 * @example
 * const whatsapp = createWhatsAppDeliverer({ accessToken: process.env.WHATSAPP_ACCESS_TOKEN! });
 */
export function createWhatsAppDeliverer(options: WhatsAppDelivererOptions): Deliverer {
  const accessToken = requiredString(options?.accessToken, 'accessToken', true);
  const base = `${apiBase(options.apiUrl, 'https://graph.facebook.com', 'apiUrl')}/${graphApiVersion}`;
  const send = options.fetch ?? fetch;
  return {
    provider: 'whatsapp',
    maxLength: maxBody,
    async deliver({ address, text }, { signal }) {
      const phoneNumberId = address.businessAliases?.[0];
      if (phoneNumberId === undefined)
        throw channelFailure('WhatsApp', false, "the session has no phone_number_id of the business number (Meta's metadata.phone_number_id)");
      const body = JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: address.customer.replace(/^\+/, ''),
        type: 'text',
        text: { body: text },
      });
      const response = await postToChannel('WhatsApp', `${base}/${encodeURIComponent(phoneNumberId)}/messages`, {
        fetch: send,
        signal,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body,
      });
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const error = ((await errorBody(response))['error'] ?? {}) as { code?: unknown; message?: unknown };
      const code = typeof error.code === 'number' ? error.code : undefined;
      const retryable = response.status === 429 || response.status >= 500 || (code !== undefined && retryableCodes.includes(code));
      const message = typeof error.message === 'string' ? `: ${error.message.slice(0, 300)}` : '';
      throw channelFailure('WhatsApp', retryable, `HTTP ${response.status}${code === undefined ? '' : ` (error ${code})`}${message}`);
    },
  };
}
