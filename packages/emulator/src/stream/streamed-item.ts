import { createHash } from 'node:crypto';
import type { ChatRecord, MessageVisibility, ParticipantRole, TranscriptItem } from '../types.ts';

/** What the stream needs of a chat: the record without its transcript. */
export type StreamedChat = Omit<ChatRecord, 'transcript'>;

/**
 * The instance id streamed for integration-event chats, which name no instance (participant chats
 * stream the `InstanceId` StartChatContact named).
 *
 * @example
 * expect(attributes.InstanceId.Value).toBe(emulatedInstanceId);
 */
export const emulatedInstanceId = 'e0e0e0e0-0000-4000-8000-00000000c0de';

/** The content type of the EVENT Connect streams when a chat ends. */
export const chatEndedContentType = 'application/vnd.amazonaws.connect.event.chat.ended';

/** The SNS `Message` Connect publishes for one transcript item (its JSON is what the bridge parses). */
export interface StreamedMessage {
  AbsoluteTime: string;
  Content?: string;
  ContentType: string;
  Id: string;
  Type: 'MESSAGE' | 'EVENT';
  ParticipantId?: string;
  DisplayName?: string;
  ParticipantRole?: ParticipantRole;
  InitialContactId: string;
  ContactId: string;
}

/** SNS message attributes, every one a String. */
export type StreamAttributes = Record<string, { Type: 'String'; Value: string }>;

/** One item ready to publish: the message and its attributes. */
export interface StreamedItem {
  message: StreamedMessage;
  messageAttributes: StreamAttributes;
}

/** The SNS topic a chat streams to, if any: StartContactStreaming's, else the event's NewSessionDetails. */
export function streamingTopicOf(chat: StreamedChat): string | undefined {
  return chat.streamingEndpointArn ?? chat.newSessionDetails?.StreamingConfiguration?.StreamingEndpointArn;
}

/** A participant id that stays the same for one role of one chat (Connect's are UUIDs too). */
function stableParticipantId(contactId: string, role: ParticipantRole): string {
  const hex = createHash('sha256').update(`${contactId}:${role}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function displayNameOf(chat: StreamedChat, role: ParticipantRole, item: TranscriptItem): string {
  if (item.displayName !== undefined) return item.displayName;
  if (role === 'CUSTOMER') return chat.newSessionDetails?.ParticipantDetails?.DisplayName ?? chat.key.SourceId;
  if (role === 'SYSTEM') return 'SYSTEM_MESSAGE';
  if (role === 'CUSTOM_BOT') return 'BOT';
  return role === 'SUPERVISOR' ? 'Supervisor' : 'Agent';
}

function attribute(Value: string): { Type: 'String'; Value: string } {
  return { Type: 'String', Value };
}

/**
 * The streamed form of a MESSAGE item (a customer's or an agent's), as Connect publishes it to the
 * chat's streaming topic.
 */
export function streamedMessage(chat: StreamedChat, item: TranscriptItem, accountId: string): StreamedItem {
  const role = item.participantRole ?? 'CUSTOMER';
  const contentType = item.contentType ?? 'text/plain';
  const participantId = role === 'CUSTOMER' && chat.participantId !== undefined ? chat.participantId : stableParticipantId(chat.contactId, role);
  const message: StreamedMessage = {
    AbsoluteTime: item.at,
    Content: item.content ?? '',
    ContentType: contentType,
    Id: item.id,
    Type: 'MESSAGE',
    ParticipantId: participantId,
    DisplayName: displayNameOf(chat, role, item),
    ParticipantRole: role,
    InitialContactId: chat.contactId,
    ContactId: chat.contactId,
  };
  const visibility: MessageVisibility = item.visibility ?? 'ALL';
  return {
    message,
    messageAttributes: {
      ...commonAttributes(chat, accountId, 'MESSAGE', contentType, visibility),
      ParticipantRole: attribute(role),
    },
  };
}

/** The EVENT Connect streams when a chat ends: no content, no participant. */
export function streamedChatEnded(chat: StreamedChat, item: TranscriptItem, accountId: string): StreamedItem {
  return {
    message: {
      AbsoluteTime: item.at,
      ContentType: chatEndedContentType,
      Id: item.id,
      Type: 'EVENT',
      InitialContactId: chat.contactId,
      ContactId: chat.contactId,
    },
    messageAttributes: commonAttributes(chat, accountId, 'EVENT', chatEndedContentType, 'ALL'),
  };
}

function commonAttributes(
  chat: StreamedChat,
  accountId: string,
  type: 'MESSAGE' | 'EVENT',
  contentType: string,
  visibility: MessageVisibility,
): StreamAttributes {
  return {
    InitialContactId: attribute(chat.contactId),
    ContactId: attribute(chat.contactId),
    InstanceId: attribute(chat.instanceId ?? emulatedInstanceId),
    AccountId: attribute(accountId),
    Type: attribute(type),
    ContentType: attribute(contentType),
    MessageVisibility: attribute(visibility),
  };
}
