import { randomUUID } from 'node:crypto';
import { type ChatIntegrationEvent, type ChatIntegrationEventOutput, chatKeyOf } from '@connect-chat/core';
import type { ChatRecord, EmulatorEvent, TranscriptItem } from '../types.ts';

export interface ChatStoreLimits {
  maxChats: number;
  maxTranscriptItems: number;
}

function toItem(event: ChatIntegrationEvent): TranscriptItem {
  const item: TranscriptItem = { id: randomUUID(), at: new Date().toISOString(), type: event.Event.Type };
  if (event.Event.ContentType !== undefined) item.contentType = event.Event.ContentType;
  if (event.Event.Content !== undefined) item.content = event.Event.Content;
  return item;
}

/**
 * Chats as Connect keeps them: one active chat per (SourceId, DestinationId, Subtype), created by
 * the first event, ended by DISCONNECT. Bounded: the oldest chats and transcript items are evicted.
 */
export class ChatStore {
  /** Every kept chat by contact id, oldest first (Map order is insertion order). */
  private readonly chats = new Map<string, ChatRecord>();
  private readonly activeByKey = new Map<string, ChatRecord>();

  constructor(
    private readonly limits: ChatStoreLimits,
    private readonly onEvent: (event: EmulatorEvent) => void,
  ) {}

  /** Applies a valid event and answers what Connect answers. */
  accept(event: ChatIntegrationEvent): ChatIntegrationEventOutput {
    const key = chatKeyOf(event);
    const chat = this.activeByKey.get(key);
    if (event.Event.Type === 'DISCONNECT') {
      // Connect has no chat to end: it answers 200 with no contact.
      if (!chat) return { NewChatCreated: false };
      const item = this.append(chat, event);
      chat.active = false;
      chat.endedAt = item.at;
      this.activeByKey.delete(key);
      this.emit('chat.ended', chat, item);
      return { InitialContactId: chat.contactId, NewChatCreated: false };
    }
    if (chat) {
      this.emit('chat.updated', chat, this.append(chat, event));
      return { InitialContactId: chat.contactId, NewChatCreated: false };
    }
    const created: ChatRecord = {
      key: { SourceId: event.SourceId, DestinationId: event.DestinationId, Subtype: event.Subtype },
      contactId: randomUUID(),
      active: true,
      startedAt: new Date().toISOString(),
      transcript: [],
    };
    if (event.NewSessionDetails !== undefined) created.newSessionDetails = structuredClone(event.NewSessionDetails);
    this.chats.set(created.contactId, created);
    this.activeByKey.set(key, created);
    this.evictOldChats();
    this.emit('chat.created', created, this.append(created, event));
    return { InitialContactId: created.contactId, NewChatCreated: true };
  }

  /** Copies of every kept chat, newest first. */
  list(): ChatRecord[] {
    return [...this.chats.values()].reverse().map((chat) => structuredClone(chat));
  }

  get(contactId: string): ChatRecord | undefined {
    const chat = this.chats.get(contactId);
    return chat && structuredClone(chat);
  }

  clear(): void {
    this.chats.clear();
    this.activeByKey.clear();
  }

  private append(chat: ChatRecord, event: ChatIntegrationEvent): TranscriptItem {
    const item = toItem(event);
    chat.transcript.push(item);
    if (chat.transcript.length > this.limits.maxTranscriptItems) chat.transcript.splice(0, chat.transcript.length - this.limits.maxTranscriptItems);
    return item;
  }

  private evictOldChats(): void {
    for (const [contactId, chat] of this.chats) {
      if (this.chats.size <= this.limits.maxChats) return;
      this.chats.delete(contactId);
      const key = chatKeyOf(chat.key);
      if (this.activeByKey.get(key) === chat) this.activeByKey.delete(key);
    }
  }

  private emit(type: EmulatorEvent['type'], chat: ChatRecord, item: TranscriptItem): void {
    const { transcript, ...summary } = chat;
    this.onEvent({ type, chat: { ...structuredClone(summary), transcriptLength: transcript.length }, item: { ...item } });
  }
}
