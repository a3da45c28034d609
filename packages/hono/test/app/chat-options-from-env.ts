import {
  type ConnectChatOptions,
  type Provider,
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioProvider,
  createWhatsAppProvider,
  parseRateLimit,
} from '@connect-chat/core';

/** The sample-app configuration contract (ARCHITECTURE.md), as env vars or Workers bindings. */
export type BridgeEnv = Readonly<Record<string, string | undefined>>;

/**
 * The bridge configuration for runtimes without `process.env` semantics (Workers bindings, Deno,
 * Bun): providers for the secrets that are set, a sender aimed at `AWS_ENDPOINT_URL_CONNECT`.
 */
export function chatOptionsFromEnv(env: BridgeEnv, fetch?: typeof globalThis.fetch): ConnectChatOptions {
  const providers: Provider[] = [];
  if (env.SNS_TOPIC_ARNS) providers.push(createSnsProvider({ topicArns: env.SNS_TOPIC_ARNS.split(',').map((arn) => arn.trim()) }));
  if (env.TWILIO_AUTH_TOKEN) {
    providers.push(createTwilioProvider({ authToken: env.TWILIO_AUTH_TOKEN, ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL } : {}) }));
  }
  if (env.WHATSAPP_APP_SECRET && env.WHATSAPP_VERIFY_TOKEN) {
    providers.push(createWhatsAppProvider({ appSecret: env.WHATSAPP_APP_SECRET, verifyToken: env.WHATSAPP_VERIFY_TOKEN }));
  }
  if (env.STANDARD_WEBHOOK_SECRET) providers.push(createStandardWebhooksProvider({ secret: env.STANDARD_WEBHOOK_SECRET }));
  const options: ConnectChatOptions = {
    providers,
    route: { destination: env.CONNECT_DESTINATION_ID ?? '' },
    sender: {
      region: env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
      ...(env.AWS_ENDPOINT_URL_CONNECT ? { endpoint: env.AWS_ENDPOINT_URL_CONNECT } : {}),
      rateLimit: parseRateLimit(env.CONNECT_RATE_LIMIT ?? '2/5'),
      // The same small budget as the suite's in-process options, so fault cases stay fast.
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, attemptTimeoutMs: 2_000 },
      deadlineMs: 5_000,
    },
  };
  if (fetch) options.fetch = fetch;
  return options;
}
