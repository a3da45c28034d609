// The same bridge as a Cloudflare Worker: configuration comes from bindings (wrangler.toml [vars]
// and `wrangler secret put`), and the bridge is built once per isolate so its rate limiter and
// idempotency store outlive a request. Workers have no embedded emulator: set AWS credentials,
// or AWS_ENDPOINT_URL_CONNECT to reach an emulator.
//
// It sends with the fetch transport and reads the configuration without the AWS SDK, so no AWS SDK
// is bundled: CONNECT_CLIENT=aws-sdk, CONNECT_TRANSPORT=participant and SMS_OUTBOUND=end-user-messaging
// stop it with a line naming the variable. Importing connectChatOptionsFromEnv instead brings them
// (and the SDK) back.
import { type BridgeEnv, connectChatOptionsFromEnvWithoutSdk } from '@connect-chat/bridge-kit/config';
import { ConnectChatError, createConnectChat } from '@connect-chat/core';
import { fromEnv } from '@connect-chat/hono';
import { createApp } from './app.ts';

const chatFor = fromEnv((env: BridgeEnv) => {
  const { options, needsEmulator } = connectChatOptionsFromEnvWithoutSdk(env);
  if (needsEmulator) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      'CONNECT_EMULATOR: a Worker cannot start the embedded emulator; unset it and set AWS_ENDPOINT_URL_CONNECT to an emulator you started, or real AWS credentials',
    );
  }
  return createConnectChat({
    ...options,
    hooks: {
      // One structured line per message: Workers Logs index JSON printed with console.log.
      onOutcome: ({ message: _message, ...outcome }) => console.log(JSON.stringify({ msg: 'inbound message', ...outcome })),
    },
  });
});

export default createApp(chatFor);
