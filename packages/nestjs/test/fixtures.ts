import type { ConnectChatOptions } from '@connect-chat/core';
import { createStandardWebhooksProvider } from '@connect-chat/core';
import { createStandardWebhookRequest, generateStandardWebhookSecret } from '@connect-chat/core/testing';

export const destinationId = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-0123456789abcdef';

/** A bridge with the generic provider, sending to the emulator at `emulatorUrl`. */
export function genericBridge(emulatorUrl: string): { secret: string; options: ConnectChatOptions } {
  const secret = generateStandardWebhookSecret();
  return {
    secret,
    options: {
      providers: [createStandardWebhooksProvider({ secret })],
      route: { destination: destinationId },
      sender: {
        endpoint: emulatorUrl,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'emulator-secret' },
        rateLimit: false,
      },
    },
  };
}

/** Posts a signed generic webhook message from `from` to the bridge at `baseUrl`. */
export async function postGenericMessage(baseUrl: string, secret: string, from: string, text: string, path = '/webhooks/generic'): Promise<Response> {
  const request = await createStandardWebhookRequest({
    url: `${baseUrl}${path}`,
    secret,
    payload: { version: 1, type: 'message', from, to: '+14155550199', text },
  });
  return fetch(request);
}
