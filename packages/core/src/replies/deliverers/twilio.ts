import type { Deliverer } from '../types.ts';
import { apiBase, channelFailure, errorBody, postToChannel, requiredString } from './channel-failure.ts';

/**
 * Options of {@link createTwilioDeliverer}.
 *
 * @example
 * const options: TwilioDelivererOptions = { accountSid: 'AC…', authToken: process.env.TWILIO_AUTH_TOKEN!, apiUrl: 'http://127.0.0.1:4050' };
 */
export interface TwilioDelivererOptions {
  accountSid: string;
  /** The account's auth token (or an API key secret, with the key's SID as `username`). */
  authToken: string;
  /** Basic-auth user when it is not the account SID (an API key SID). */
  username?: string;
  /** Replaces `https://api.twilio.com` (`TWILIO_API_URL`). */
  apiUrl?: string;
  fetch?: typeof fetch;
}

/** Twilio's documented limit of one message's Body. */
const maxBody = 1_600;
/** Twilio error codes a retry can help: too many requests. */
const retryableCodes = [20429];

/**
 * Replies to Twilio SMS and WhatsApp customers through the Messages API: `To` the customer, `From`
 * the number they wrote to (`whatsapp:`-prefixed on WhatsApp). 429 and 5xx are retryable; 21610
 * (opted out), 63016 (WhatsApp outside the 24-hour window) and other 4xx are refusals.
 *
 * @example
 * const twilio = createTwilioDeliverer({ accountSid: process.env.TWILIO_ACCOUNT_SID!, authToken: process.env.TWILIO_AUTH_TOKEN! });
 */
export function createTwilioDeliverer(options: TwilioDelivererOptions): Deliverer {
  const accountSid = requiredString(options?.accountSid, 'accountSid');
  const authToken = requiredString(options.authToken, 'authToken', true);
  const username = options.username === undefined ? accountSid : requiredString(options.username, 'username');
  const url = `${apiBase(options.apiUrl, 'https://api.twilio.com', 'apiUrl')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`;
  const authorization = `Basic ${btoa(`${username}:${authToken}`)}`;
  const send = options.fetch ?? fetch;
  return {
    provider: 'twilio',
    maxLength: maxBody,
    async deliver({ address, text }, { signal }) {
      const prefix = address.channel === 'whatsapp' ? 'whatsapp:' : '';
      const body = new URLSearchParams({ To: `${prefix}${address.customer}`, From: `${prefix}${address.business}`, Body: text });
      const response = await postToChannel('Twilio', url, {
        fetch: send,
        signal,
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
      });
      if (response.ok) {
        await response.body?.cancel();
        return;
      }
      const answer = await errorBody(response);
      const code = typeof answer['code'] === 'number' ? answer['code'] : undefined;
      const retryable = response.status === 429 || response.status >= 500 || (code !== undefined && retryableCodes.includes(code));
      const message = typeof answer['message'] === 'string' ? `: ${answer['message'].slice(0, 300)}` : '';
      throw channelFailure('Twilio', retryable, `HTTP ${response.status}${code === undefined ? '' : ` (error ${code})`}${message}`);
    },
  };
}
