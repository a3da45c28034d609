// The public API of @connect-chat/hono, by name.
export { webhook } from './webhook.ts';
export type { WebhookHandlerSource } from './webhook.ts';
export { webhooks } from './webhooks.ts';
export type { ConnectChatSource } from './webhooks.ts';
export { fromEnv } from './from-env.ts';
