// What every contender receives and is configured with, so that they differ only in their code.

/** The Twilio auth token every server verifies with. */
export const authToken = '7d4f2e6a1b3c5d7e9f0a2b4c6d8e0f1a';
/** As behind a TLS-terminating proxy: every server verifies against this URL, so one signed pool serves all. */
export const publicUrl = 'https://bridge.example.com';
export const webhookPath = '/webhooks/twilio';
export const destinationId = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0';
/** The number the customers write to. */
export const businessNumber = '+14155550199';
export const messageText = 'Hi, I need help with my order #1234';
/** More customers than any in-memory bound in core (10,000 idempotency entries, 10,000 sessions). */
export const customers = 20_000;
export const awsKeys = { accessKeyId: 'AKIDBENCHMARK000000', secretAccessKey: 'bench-secret-access-key' } as const;
export const region = 'us-east-1';

/** The n-th customer's number, E.164. */
export function customerNumber(n: number): string {
  return `+1206${String(n % customers).padStart(7, '0')}`;
}

/**
 * The environment of every server process: the sample bridges' configuration contract, which the
 * hand-written and bare servers read too. AWS keys are static and the instance metadata service is
 * off, so no process looks for credentials on the network.
 */
export function serverEnv(port: number, connectUrl: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    TWILIO_AUTH_TOKEN: authToken,
    CONNECT_DESTINATION_ID: destinationId,
    AWS_ENDPOINT_URL_CONNECT: connectUrl,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: awsKeys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: awsKeys.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    CONNECT_RATE_LIMIT: 'off',
    LOG_LEVEL: 'info',
  };
}
