import { invalidOption, isRecord } from '../invalid-option.ts';
import type { StreamDelivery } from '../stream/stream-publisher.ts';
import type { MessageVisibility, ParticipantRole, TranscriptItem } from '../types.ts';

/**
 * What the agent answers in a chat: `reply(contactId, reply)` and `POST /_emulator/chats/:contactId/reply`.
 *
 * @example
 * const reply: AgentReply = { text: 'Your order ships today.', displayName: 'Sam' };
 * await emulator.reply(contactId, reply);
 */
export interface AgentReply {
  /** The message, up to 16,384 characters (Connect's limit for `text/plain`). */
  text: string;
  /** Who sees it; default `ALL`. A bridge should deliver only `ALL` and `CUSTOMER` messages. */
  visibility?: MessageVisibility;
  /** Who answers; default `AGENT`. */
  role?: Exclude<ParticipantRole, 'CUSTOMER'>;
  /** The name shown, 1..256 characters; default by role (`Agent`, `SYSTEM_MESSAGE`, `BOT`, `Supervisor`). */
  displayName?: string;
}

/**
 * What an agent reply did: the transcript item it appended and the stream's deliveries of it
 * (none when the chat has no streaming topic or the topic no subscription).
 *
 * @example
 * const { item, deliveries }: AgentReplyResult = await emulator.reply(contactId, { text: 'Hi' });
 */
export interface AgentReplyResult {
  item: TranscriptItem;
  deliveries: StreamDelivery[];
}

/**
 * Why a chat cannot be answered: `CHAT_NOT_FOUND` (no such chat is kept) or `CHAT_ENDED`.
 *
 * @example
 * await emulator.reply(contactId, { text: 'Hi' }).catch((error) => {
 *   if (error instanceof EmulatorChatError && error.code === 'CHAT_ENDED') console.log('too late');
 * });
 */
export class EmulatorChatError extends Error {
  override readonly name = 'EmulatorChatError';

  constructor(
    readonly code: 'CHAT_NOT_FOUND' | 'CHAT_ENDED',
    message: string,
  ) {
    super(message);
  }
}

const replyMembers = ['text', 'visibility', 'role', 'displayName'];
const visibilities: readonly MessageVisibility[] = ['ALL', 'CUSTOMER', 'AGENT'];
const roles: readonly NonNullable<AgentReply['role']>[] = ['AGENT', 'SYSTEM', 'CUSTOM_BOT', 'SUPERVISOR'];
const maxTextLength = 16_384;

/** Checks a reply from `reply` or the route and fills in the defaults; throws INVALID_OPTIONS naming the member. */
export function checkAgentReply(value: unknown, path: string): Required<Omit<AgentReply, 'displayName'>> & Pick<AgentReply, 'displayName'> {
  if (!isRecord(value)) invalidOption(path, 'an object { text, visibility?, role?, displayName? }', value);
  for (const member of Object.keys(value)) {
    if (!replyMembers.includes(member)) invalidOption(`${path}.${member}`, `one of ${replyMembers.join(', ')}`, member);
  }
  const { text, visibility = 'ALL', role = 'AGENT', displayName } = value;
  if (typeof text !== 'string' || text.trim() === '' || text.length > maxTextLength) {
    invalidOption(`${path}.text`, `a non-blank string of at most ${maxTextLength} characters`, text);
  }
  if (!(visibilities as unknown[]).includes(visibility)) invalidOption(`${path}.visibility`, `one of ${visibilities.join(', ')}`, visibility);
  if (!(roles as unknown[]).includes(role)) invalidOption(`${path}.role`, `one of ${roles.join(', ')}`, role);
  if (displayName !== undefined && (typeof displayName !== 'string' || displayName.length < 1 || displayName.length > 256)) {
    invalidOption(`${path}.displayName`, 'a string of 1..256 characters', displayName);
  }
  const reply: Required<Omit<AgentReply, 'displayName'>> & Pick<AgentReply, 'displayName'> = {
    text,
    visibility: visibility as MessageVisibility,
    role: role as NonNullable<AgentReply['role']>,
  };
  if (displayName !== undefined) reply.displayName = displayName as string;
  return reply;
}
