// @connect-chat/bridge-kit/config: the sample bridges' environment contract, with no Node API, so the
// Workers entry reads the same variables as the Node bridges.
import { createConnectTransport, createEndUserMessagingDeliverer, createParticipantTransport } from '@connect-chat/core';
import { type BridgeConfig, type BridgeEnv, type FromEnvOptions, readBridgeConfig } from './from-env.ts';

export type { BridgeConfig, BridgeEnv, ConnectClientName, ConnectTransportName, DisabledProvider, FromEnvOptions } from './from-env.ts';

/**
 * Reads the sample bridges' configuration contract (`CONNECT_DESTINATION_ID`, `TWILIO_AUTH_TOKEN`,
 * `SNS_TOPIC_ARNS`, …) and returns options for `createConnectChat`, with every transport and
 * deliverer (`CONNECT_CLIENT` defaults to `aws-sdk`). Contradictory or malformed configuration
 * throws `INVALID_OPTIONS` naming the variable; a provider whose secret is unset is disabled and
 * listed in `disabled`.
 *
 * @example
 * const config = connectChatOptionsFromEnv(process.env);
 * const chat = createConnectChat(config.options);
 * for (const { provider, reason } of config.disabled) console.warn(`${provider} disabled: ${reason}`);
 */
export function connectChatOptionsFromEnv(env: BridgeEnv, options: FromEnvOptions = {}): BridgeConfig {
  return readBridgeConfig(env, options, { createConnectTransport, createParticipantTransport, createEndUserMessagingDeliverer });
}

/**
 * The same contract with only what needs no AWS SDK, for a Worker whose bundle should not carry it:
 * SendChatIntegrationEvent through fetch (`CONNECT_CLIENT` defaults to `fetch`); `CONNECT_CLIENT=aws-sdk`,
 * `CONNECT_TRANSPORT=participant` and `SMS_OUTBOUND=end-user-messaging` stop it, naming the variable.
 *
 * @example
 * const chatFor = fromEnv((env: BridgeEnv) => createConnectChat(connectChatOptionsFromEnvWithoutSdk(env).options));
 */
export function connectChatOptionsFromEnvWithoutSdk(env: BridgeEnv, options: FromEnvOptions = {}): BridgeConfig {
  return readBridgeConfig(env, options, undefined);
}
