import { randomUUID } from 'node:crypto';
import { type ChatIntegrationEvent, type ChatIntegrationEventOutput, type ChatKey, chatKeyOf, type NewSessionDetails } from '@connect-chat/core';
import type { ChatRecord, EmulatorEvent, MessageVisibility, ParticipantRole, TranscriptItem } from '../types.ts';

export interface ChatStoreLimits {
  maxChats: number;
  maxTranscriptItems: number;
}

/** What a transcript item is made of; the store adds the id and time unless given. */
export interface ItemInput {
  type: TranscriptItem['type'];
  contentType?: string | undefined;
  content?: string | undefined;
  id?: string;
  at?: string;
  participantRole?: ParticipantRole | undefined;
  visibility?: MessageVisibility | undefined;
  displayName?: string | undefined;
}

/** What StartChatContact creates. */
export interface ParticipantChatInput {
  key: ChatKey;
  instanceId: string;
  contactFlowId: string;
  participantId: string;
  newSessionDetails: NewSessionDetails;
  initialMessage?: { contentType: string; content: string };
}

function toItem(input: ItemInput): TranscriptItem {
  const item: TranscriptItem = { id: input.id ?? randomUUID(), at: input.at ?? new Date().toISOString(), type: input.type };
  if (input.contentType !== undefined) item.contentType = input.contentType;
  if (input.content !== undefined) item.content = input.content;
  if (input.participantRole !== undefined) item.participantRole = input.participantRole;
  if (input.visibility !== undefined) item.visibility = input.visibility;
  if (input.displayName !== undefined) item.displayName = input.displayName;
  return item;
}

/**
 * Chats as Connect keeps them. Integration-event chats: one active chat per (SourceId,
 * DestinationId, Subtype), created by the first event, ended by DISCONNECT. Participant chats: one
 * per StartChatContact, whatever its key. Either ends by `end`. Bounded: the oldest chats and
 * transcript items are evicted.
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
      this.finish(chat, this.append(chat, eventItem(event)));
      return { InitialContactId: chat.contactId, NewChatCreated: false };
    }
    if (chat) {
      this.emit('chat.updated', chat, this.append(chat, eventItem(event)));
      return { InitialContactId: chat.contactId, NewChatCreated: false };
    }
    const created: ChatRecord = {
      key: { SourceId: event.SourceId, DestinationId: event.DestinationId, Subtype: event.Subtype },
      transport: 'integration-event',
      contactId: randomUUID(),
      active: true,
      startedAt: new Date().toISOString(),
      transcript: [],
    };
    if (event.NewSessionDetails !== undefined) created.newSessionDetails = structuredClone(event.NewSessionDetails);
    this.chats.set(created.contactId, created);
    this.activeByKey.set(key, created);
    this.evictOldChats();
    this.emit('chat.created', created, this.append(created, eventItem(event)));
    return { InitialContactId: created.contactId, NewChatCreated: true };
  }

  /** StartChatContact: always a new chat (Connect does not look for an active one by key); its contact id. */
  startParticipantChat(input: ParticipantChatInput): string {
    const created: ChatRecord = {
      key: structuredClone(input.key),
      transport: 'participant',
      contactId: randomUUID(),
      active: true,
      startedAt: new Date().toISOString(),
      newSessionDetails: structuredClone(input.newSessionDetails),
      transcript: [],
      instanceId: input.instanceId,
      contactFlowId: input.contactFlowId,
      participantId: input.participantId,
      customerConnected: false,
    };
    this.chats.set(created.contactId, created);
    this.evictOldChats();
    const { initialMessage } = input;
    const item =
      initialMessage &&
      this.append(created, { type: 'MESSAGE', contentType: initialMessage.contentType, content: initialMessage.content, participantRole: 'CUSTOMER' });
    this.emit('chat.created', created, item);
    return created.contactId;
  }

  /** Whether the chat is kept and not ended. */
  isActive(contactId: string): boolean {
    return this.chats.get(contactId)?.active === true;
  }

  /** Appends to an active chat (`chat.updated`); undefined when the chat is gone or ended. */
  appendTo(contactId: string, input: ItemInput): TranscriptItem | undefined {
    const chat = this.chats.get(contactId);
    if (!chat?.active) return undefined;
    const item = this.append(chat, input);
    this.emit('chat.updated', chat, item);
    return item;
  }

  /** Changes what is recorded about a kept chat (`chat.updated` with no item); false when it is gone. */
  update(contactId: string, change: (chat: ChatRecord) => void): boolean {
    const chat = this.chats.get(contactId);
    if (!chat) return false;
    change(chat);
    this.emit('chat.updated', chat, undefined);
    return true;
  }

  /**
   * Ends an active chat of either transport: a DISCONNECT item (by `participantRole` when a
   * participant left, else by no one), `chat.ended`. False when gone or ended.
   */
  end(contactId: string, participantRole?: ParticipantRole): boolean {
    const chat = this.chats.get(contactId);
    if (!chat?.active) return false;
    this.finish(chat, this.append(chat, { type: 'DISCONNECT', participantRole }));
    return true;
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

  private finish(chat: ChatRecord, item: TranscriptItem): void {
    chat.active = false;
    chat.endedAt = item.at;
    const key = chatKeyOf(chat.key);
    if (this.activeByKey.get(key) === chat) this.activeByKey.delete(key);
    this.emit('chat.ended', chat, item);
  }

  private append(chat: ChatRecord, input: ItemInput): TranscriptItem {
    const item = toItem(input);
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

  private emit(type: EmulatorEvent['type'], chat: ChatRecord, item: TranscriptItem | undefined): void {
    const { transcript, ...summary } = chat;
    const event: EmulatorEvent = { type, chat: { ...structuredClone(summary), transcriptLength: transcript.length } };
    if (item) event.item = { ...item };
    this.onEvent(event);
  }
}

function eventItem(event: ChatIntegrationEvent): ItemInput {
  return { type: event.Event.Type, contentType: event.Event.ContentType, content: event.Event.Content, participantRole: 'CUSTOMER' };
}
