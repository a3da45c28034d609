// What users of @connect-chat/core/testing see: requests their tests can hand straight to a handler.
import type { EndUserMessagingInboundSms, SnsEnvelope, WebhookHandler } from '../index.ts';
import {
  type SnsSigner,
  type WhatsAppNotification,
  createSnsSigner,
  createStandardWebhookRequest,
  createTwilioRequest,
  createWhatsAppChallengeRequest,
  createWhatsAppRequest,
  endUserMessagingSms,
  signStandardWebhook,
  signTwilioRequest,
  twilioMessageParams,
  whatsAppStatusPayload,
  whatsAppTextPayload,
} from './index.ts';
import { describe, expectTypeOf, it } from 'vitest';

describe('testing helpers', () => {
  it('build Web Requests a handler accepts', () => {
    expectTypeOf(createTwilioRequest).returns.resolves.toEqualTypeOf<Request>();
    expectTypeOf(createWhatsAppRequest).returns.resolves.toEqualTypeOf<Request>();
    expectTypeOf(createWhatsAppChallengeRequest).returns.toEqualTypeOf<Request>();
    expectTypeOf(createStandardWebhookRequest).returns.resolves.toEqualTypeOf<Request>();
    expectTypeOf<SnsSigner['request']>().returns.toEqualTypeOf<Request>();
    expectTypeOf<Request>().toEqualTypeOf<Parameters<WebhookHandler['fetch']>[0]>();
  });

  it('sign and build payloads in the providers’ own shapes', () => {
    expectTypeOf(createSnsSigner).returns.resolves.toEqualTypeOf<SnsSigner>();
    expectTypeOf<SnsSigner['notification']>().returns.resolves.toEqualTypeOf<SnsEnvelope>();
    expectTypeOf(endUserMessagingSms).returns.toEqualTypeOf<EndUserMessagingInboundSms>();
    expectTypeOf(signTwilioRequest).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(signStandardWebhook).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(twilioMessageParams).returns.toEqualTypeOf<Record<string, string>>();
    expectTypeOf(whatsAppTextPayload).returns.toEqualTypeOf<WhatsAppNotification>();
    expectTypeOf(whatsAppStatusPayload).returns.toEqualTypeOf<WhatsAppNotification>();
  });

  it('refuses incomplete or mistyped input', () => {
    // @ts-expect-error the auth token is required: the signature depends on it
    createTwilioRequest({ url: 'https://bridge.example/webhooks/twilio' });
    // @ts-expect-error Meta sends only these statuses
    whatsAppStatusPayload({ to: '+15550783881', recipient: '+16505551234', status: 'queued' });
  });
});
