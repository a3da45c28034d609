import { createConnectTransport } from './connect-transport.ts';
import type { ResolvedSenderOptions } from './options.ts';
import type { ChatTransport } from './types.ts';

/**
 * `createSender`'s transport when it is given none, on Node, Bun and Deno: the AWS SDK's. Core
 * imports this module as `#default-transport`; Workers and browser bundles (the `workerd` and
 * `browser` conditions) resolve that name to `default-transport.web.ts` instead, so nothing they
 * bundle imports the AWS SDK unless they ask for it.
 */
export function createDefaultTransport(options: ResolvedSenderOptions['connect']): ChatTransport {
  return createConnectTransport(options);
}
