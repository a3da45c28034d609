import type { Logger } from '@connect-chat/core';
import type { ChatStore } from '../chats/chat-store.ts';
import type { StreamPublisher } from '../stream/stream-publisher.ts';
import { streamedChatEnded, streamedMessage, streamingTopicOf } from '../stream/streamed-item.ts';
import type { EmulatorEvent } from '../types.ts';
import { type AgentReply, type AgentReplyResult, checkAgentReply, EmulatorChatError } from './agent-reply.ts';

/** What the agent and Connect's stream need from the emulator. */
export interface AgentStreamDeps {
  store: ChatStore;
  publisher: StreamPublisher;
  accountId: string;
  logger: Logger;
}

/**
 * The agent's side of a chat and what Connect streams of it: `reply` appends the agent's message
 * and publishes it to the chat's topic; `streamEvent` publishes what Connect streams besides agent
 * replies (customer messages, the end of a chat) without ever delaying the API answer.
 *
 * @example
 * const agent = createAgentStream({ store, publisher, accountId, logger });
 * const { deliveries } = await agent.reply(contactId, { text: 'Hi' });
 */
export function createAgentStream(deps: AgentStreamDeps): {
  reply(contactId: string, input: AgentReply): Promise<AgentReplyResult>;
  streamEvent(event: EmulatorEvent): void;
} {
  const { store, publisher, accountId, logger } = deps;
  return {
    async reply(contactId, input) {
      const checked = checkAgentReply(input, 'reply');
      const chat = store.get(contactId);
      if (!chat) throw new EmulatorChatError('CHAT_NOT_FOUND', `No chat with contact id ${JSON.stringify(String(contactId).slice(0, 256))}.`);
      const item = store.appendTo(contactId, {
        type: 'MESSAGE',
        contentType: 'text/plain',
        content: checked.text,
        participantRole: checked.role,
        visibility: checked.visibility,
        displayName: checked.displayName,
      });
      if (!item) throw new EmulatorChatError('CHAT_ENDED', `The chat ${contactId} has ended; the agent cannot answer in it.`);
      const { transcript: _transcript, ...summary } = chat;
      const deliveries = await publisher.publish(streamingTopicOf(summary), streamedMessage(summary, item, accountId));
      return { item, deliveries };
    },
    streamEvent(event) {
      const { chat, item } = event;
      if (!chat || !item) return;
      let streamed: ReturnType<typeof streamedMessage> | undefined;
      if (event.type === 'chat.ended') streamed = streamedChatEnded(chat, item, accountId);
      else if (item.type === 'MESSAGE' && item.participantRole === 'CUSTOMER') streamed = streamedMessage(chat, item, accountId);
      if (!streamed) return;
      publisher.publish(streamingTopicOf(chat), streamed).catch((error: unknown) => {
        logger.error('emulator: stream publication failed', { contactId: chat.contactId, error: error instanceof Error ? error.message : String(error) });
      });
    },
  };
}
