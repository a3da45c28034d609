import {
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppRequest,
  generateStandardWebhookSecret,
  twilioMessageParams,
  whatsAppTextPayload,
} from '@connect-chat/core/testing';
import type { SnsSigner } from '@connect-chat/core/testing';
import type { ConformanceSetup } from './types.ts';

export type ProviderName = 'sns' | 'twilio' | 'whatsapp' | 'generic';

/** The requests one provider makes, signed with the secrets of the configuration contract. */
export interface ProviderFixture {
  name: ProviderName;
  path: string;
  /** The customer, as `SourceId` must show it. */
  customer: string;
  /** The Subtype routing gives this provider's messages. */
  subtype: string;
  /** The media type of the provider's posts. */
  contentType: string;
  /** A signed delivery of one customer text message; `url` is what the bridge sees. */
  message(url: string, text: string): Promise<Request>;
  /** The same delivery signed with the wrong secret, or altered after signing. */
  badSignature(url: string, text: string): Promise<Request>;
  /** Correctly signed, but not the provider's format. */
  malformed(url: string): Promise<Request>;
}

const business = '+12125550101';

/**
 * One fixture per route of the configuration contract.
 *
 * @example
 * const fixtures = providerFixtures(setup, signer);
 */
export function providerFixtures(setup: ConformanceSetup, sns: SnsSigner): Record<ProviderName, ProviderFixture> {
  const env = setup.env;
  const topicArn = env.SNS_TOPIC_ARNS!.split(',')[0]!;
  const twilioToken = env.TWILIO_AUTH_TOKEN!;
  const appSecret = env.WHATSAPP_APP_SECRET!;
  const webhookSecret = env.STANDARD_WEBHOOK_SECRET!;
  const genericPayload = (text: string) => ({ version: 1, type: 'message', from: '+14155550103', to: business, text });

  return {
    sns: {
      name: 'sns',
      subtype: 'connect:sms',
      path: '/webhooks/sns',
      customer: '+14255550182',
      contentType: 'text/plain; charset=UTF-8',
      message: async (url, text) =>
        sns.request(await sns.notification({ topicArn, message: sns.endUserMessagingSms({ from: '+14255550182', to: business, text }) }), { url }),
      badSignature: async (url, text) => {
        const envelope = await sns.notification({ topicArn, message: sns.endUserMessagingSms({ from: '+14255550182', to: business, text: 'original' }) });
        return sns.request({ ...envelope, Message: envelope.Message.replace('original', text) }, { url });
      },
      malformed: async (url) => new Request(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8' }, body: 'not an SNS envelope' }),
    },
    twilio: {
      name: 'twilio',
      subtype: 'connect:sms',
      path: '/webhooks/twilio',
      customer: '+14155550100',
      contentType: 'application/x-www-form-urlencoded',
      message: (url, text) =>
        createTwilioRequest({ url, authToken: twilioToken, params: twilioMessageParams({ from: '+14155550100', to: business, body: text }) }),
      badSignature: (url, text) =>
        createTwilioRequest({ url, authToken: `${twilioToken}x`, params: twilioMessageParams({ from: '+14155550100', to: business, body: text }) }),
      malformed: (url) => {
        const { From: _from, ...params } = twilioMessageParams({ from: '+14155550100', to: business, body: 'no sender' });
        return createTwilioRequest({ url, authToken: twilioToken, params });
      },
    },
    whatsapp: {
      name: 'whatsapp',
      subtype: 'connect:WhatsApp',
      path: '/webhooks/whatsapp',
      customer: '+16505551234',
      contentType: 'application/json',
      message: (url, text) => createWhatsAppRequest({ url, appSecret, payload: whatsAppTextPayload({ from: '+16505551234', to: business, text }) }),
      badSignature: (url, text) =>
        createWhatsAppRequest({ url, appSecret: `${appSecret}x`, payload: whatsAppTextPayload({ from: '+16505551234', to: business, text }) }),
      malformed: (url) => createWhatsAppRequest({ url, appSecret, payload: '{"object":"whatsapp_business_account",' }),
    },
    generic: {
      name: 'generic',
      subtype: 'connect:sms',
      path: '/webhooks/generic',
      customer: '+14155550103',
      contentType: 'application/json',
      message: (url, text) => createStandardWebhookRequest({ url, secret: webhookSecret, payload: genericPayload(text) }),
      badSignature: (url, text) => createStandardWebhookRequest({ url, secret: generateStandardWebhookSecret(), payload: genericPayload(text) }),
      malformed: (url) => createStandardWebhookRequest({ url, secret: webhookSecret, payload: '{"version":1,' }),
    },
  };
}
