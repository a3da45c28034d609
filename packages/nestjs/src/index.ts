// The public API of @connect-chat/nestjs, by name.
export { ConnectChatModule } from './connect-chat.module.ts';
export { ConnectChatService } from './connect-chat.service.ts';
export { CONNECT_CHAT_MODULE_OPTIONS } from './connect-chat.module-definition.ts';
export type {
  ConnectChatModuleAsyncOptions,
  ConnectChatModuleForRootOptions,
  ConnectChatModuleOptions,
  ConnectChatOptionsFactory,
} from './connect-chat.module-definition.ts';
export { OnInboundMessage } from './on-inbound-message.decorator.ts';
export type { OnInboundMessageOptions } from './on-inbound-message.decorator.ts';
export { OnAgentMessage } from './on-agent-message.decorator.ts';
export type { OnAgentMessageOptions } from './on-agent-message.decorator.ts';
