import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { ResolvedSenderOptions } from './options.ts';
import { createFetchTransport } from './fetch-transport.ts';
import type { ChatTransport } from './types.ts';

/**
 * `createSender`'s transport when it is given none, in Workers and browser bundles (`#default-transport`
 * under the `workerd` and `browser` conditions): the fetch transport, which sends the same request and
 * fails the same way as the SDK's without putting the AWS SDK in the bundle.
 */
export function createDefaultTransport(options: ResolvedSenderOptions['connect']): ChatTransport {
  const { client, region, credentials, endpoint } = options;
  if (client !== undefined) {
    throw new ConnectChatError(
      'INVALID_OPTIONS',
      'client: in Workers and browser bundles createSender sends with createFetchTransport, which takes no AWS SDK client; pass transport: createConnectTransport({ client }) to send through yours',
    );
  }
  return createFetchTransport({
    ...(region !== undefined ? { region } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
  });
}
