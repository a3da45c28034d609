import { createHmac, randomBytes } from 'node:crypto';
import { signTwilioRequest, twilioMessageParams } from '@connect-chat/core/testing';
import { authToken, businessNumber, customerNumber, messageText, publicUrl, webhookPath } from '../fixture.ts';

/** One signed Twilio SMS webhook: the form body and its X-Twilio-Signature. */
export interface SignedWebhook {
  body: string;
  signature: string;
}

export const webhookHeaders = (signature: string) => ({
  'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  'x-twilio-signature': signature,
});

const url = publicUrl + webhookPath;
/** Twilio's fields for an inbound SMS (core's test helper), the per-message ones replaced below. */
const template = twilioMessageParams({ from: customerNumber(0), to: businessNumber, body: messageText });

/**
 * Twilio SMS webhooks signed before any load runs, each with a MessageSid of its own, the
 * customers taken in turn. Signed with node:crypto by Twilio's documented rule (the URL, then
 * every field name and value in name order, HMAC-SHA1, base64): core's WebCrypto signer is ten
 * times slower, so the first webhooks are checked against it instead. The pool grows between
 * runs, never during one: signing is not the load generator's cost.
 */
export class TwilioPool {
  readonly items: SignedWebhook[] = [];
  private serial = 0;
  private readonly prefix = randomBytes(6).toString('hex');

  /** Signs until the pool holds at least `size` webhooks. */
  async ensure(size: number): Promise<void> {
    if (this.serial === 0) await this.checkAgainstCore();
    while (this.items.length < size) this.items.push(this.sign());
  }

  /** A webhook never handed out before (start-up checks, single requests). */
  fresh(): SignedWebhook {
    return this.sign();
  }

  private paramsFor(n: number): Record<string, string> {
    const sid = `SM${this.prefix}${n.toString(16).padStart(20, '0')}`;
    return { ...template, SmsMessageSid: sid, SmsSid: sid, MessageSid: sid, From: customerNumber(n) };
  }

  private sign(): SignedWebhook {
    const params = this.paramsFor(this.serial++);
    const signed = Object.keys(params)
      .sort()
      .reduce((text, name) => text + name + params[name], url);
    return { body: new URLSearchParams(params).toString(), signature: createHmac('sha1', authToken).update(signed).digest('base64') };
  }

  private async checkAgainstCore(): Promise<void> {
    for (let n = 0; n < 3; n++) {
      const params = this.paramsFor(n);
      const expected = await signTwilioRequest({ url, authToken, params });
      const signed = this.sign();
      if (signed.signature !== expected || signed.body !== new URLSearchParams(params).toString()) {
        throw new Error(`the pool's Twilio signature differs from core's signTwilioRequest: ${signed.signature} ≠ ${expected}`);
      }
      this.items.push(signed);
    }
  }
}
