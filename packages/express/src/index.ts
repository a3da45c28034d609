// The public API of @connect-chat/express, by name: the same names as @connect-chat/hono.
export { webhook, webhooks } from './webhook.ts';
export { toInboundRequest } from './to-inbound-request.ts';
