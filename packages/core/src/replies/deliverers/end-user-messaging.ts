import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { checkAwsClientOptions, checkGivenClient, environmentEndpoint } from '../../sender/aws-clients.ts';
import { createSdkClient, sdkClientConfig } from '../../sender/sdk-client.ts';
import type { SdkClient } from '../../sender/participant-calls.ts';
import type { AwsKeys } from '../../sender/types.ts';
import type { Deliverer } from '../types.ts';
import { channelFailure } from './channel-failure.ts';

/**
 * Options of {@link createEndUserMessagingDeliverer}: a client, or what to build one from.
 *
 * @example
 * const options: EndUserMessagingDelivererOptions = { region: 'us-east-1', endpoint: 'http://127.0.0.1:4050' };
 */
export interface EndUserMessagingDelivererOptions {
  /** An existing `PinpointSMSVoiceV2Client`. */
  client?: SdkClient;
  region?: string;
  credentials?: AwsKeys | (() => Promise<AwsKeys>);
  /** Endpoint override; `AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2` is honoured when unset. */
  endpoint?: string;
  /** The inbound provider whose customers it reaches. Default `sns`. */
  provider?: string;
}

/** AWS errors a retry can help; everything else SendTextMessage answers is a refusal. */
const retryableNames = ['ThrottlingException', 'InternalServerException', 'ServiceUnavailableException'];

/**
 * Replies to AWS End User Messaging SMS customers with `SendTextMessage`: to the customer, from the
 * number they wrote to (`OriginationIdentity`). Throttling, 5xx and network errors are retryable;
 * `ConflictException` (opted out), `ValidationException`, `AccessDeniedException` and
 * `ResourceNotFoundException` are refusals. IAM: `sms-voice:SendTextMessage`.
 *
 * @example
 * const sms = createEndUserMessagingDeliverer({ region: 'us-east-1' });
 */
export function createEndUserMessagingDeliverer(options: EndUserMessagingDelivererOptions = {}): Deliverer {
  if (options.client !== undefined) checkGivenClient(options, 'client', 'PinpointSMSVoiceV2Client', ['credentials', 'endpoint']);
  const { region, credentials, endpoint } = checkAwsClientOptions(options);
  const client =
    options.client ??
    createSdkClient(
      new PinpointSMSVoiceV2Client(
        sdkClientConfig({ region, credentials, endpoint: endpoint ?? environmentEndpoint('AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2') }),
      ),
    );
  return {
    provider: options.provider ?? 'sns',
    maxLength: 1_600,
    async deliver({ address, text }, { signal }) {
      const command = new SendTextMessageCommand({ DestinationPhoneNumber: address.customer, OriginationIdentity: address.business, MessageBody: text });
      try {
        await client.send(command, { abortSignal: signal });
      } catch (error) {
        const e = (error ?? {}) as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
        const status = e.$metadata?.httpStatusCode;
        const name = typeof e.name === 'string' ? e.name : 'Error';
        const retryable = status === undefined || status >= 500 || retryableNames.includes(name);
        throw channelFailure(
          'End User Messaging SendTextMessage',
          retryable,
          `${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${String(e.message ?? '')}`,
          error,
        );
      }
    },
  };
}
