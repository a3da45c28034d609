// sns
export { createSnsSigner, endUserMessagingSms } from './sns-signer.ts';
export type {
  EndUserMessagingSmsInput,
  SnsConfirmationInput,
  SnsNotificationInput,
  SnsSigner,
  SnsSignerOptions,
  UnsignedSnsEnvelope,
} from './sns-signer.ts';

// twilio
export { createTwilioRequest, signTwilioRequest, twilioMessageParams } from './twilio.ts';
export type { TwilioMessageParamsOptions, TwilioRequestOptions, TwilioTestParams } from './twilio.ts';

// whatsapp
export {
  createWhatsAppChallengeRequest,
  createWhatsAppRequest,
  whatsAppStatusPayload,
  whatsAppTextPayload,
} from './whatsapp.ts';
export type { WhatsAppNotification, WhatsAppRequestOptions, WhatsAppTextPayloadOptions } from './whatsapp.ts';

// standard webhooks (generic)
export { createStandardWebhookRequest, generateStandardWebhookSecret, signStandardWebhook } from './standard-webhooks.ts';
export type { StandardWebhookRequestOptions } from './standard-webhooks.ts';
