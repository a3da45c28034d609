import { AgeOrderedMap } from '../collections/age-ordered-map.ts';
import { copyData } from '../model/copy-data.ts';
import { expectRecord, invalidOption, positiveInteger, rejectUnknownKeys } from '../options/toolkit.ts';
import type { ChatSession, SessionStore } from './types.ts';

/**
 * Options of {@link createMemorySessionStore}.
 *
 * @example
 * createMemorySessionStore({ maxSessions: 50_000 });
 */
export interface MemorySessionStoreOptions {
  /** Sessions kept at most; the oldest are forgotten first. Default 10,000. */
  maxSessions?: number;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * Sessions in this process's memory, bounded, each forgotten when its chat's duration ends. One
 * instance only: run several behind a load balancer with a shared store instead.
 *
 * @example
 * const transport = createParticipantTransport({ sessions: createMemorySessionStore() });
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): SessionStore {
  expectRecord(options, 'createMemorySessionStore options');
  const { maxSessions: max, now: clock } = options as MemorySessionStoreOptions;
  rejectUnknownKeys(options, ['maxSessions', 'now'], 'createMemorySessionStore options.');
  const maxSessions = positiveInteger(max, 'createMemorySessionStore options.maxSessions', 10_000);
  if (clock !== undefined && typeof clock !== 'function') invalidOption('createMemorySessionStore options.now', 'a function', clock);
  const now = clock ?? Date.now;
  // Insertion order is age order: a replaced session moves to the end.
  const byContact = new AgeOrderedMap<string, ChatSession>();
  const byKey = new Map<string, string>();
  const starting = new AgeOrderedMap<string, { owner: string; until: number }>();

  const forget = (session: ChatSession): void => {
    byContact.delete(session.initialContactId);
    if (byKey.get(session.chatKey) === session.initialContactId) byKey.delete(session.chatKey);
  };
  const live = (session: ChatSession | undefined): ChatSession | undefined => {
    if (session === undefined) return undefined;
    if (session.expiresAt > now()) return copyData(session);
    forget(session);
    return undefined;
  };

  return {
    async get(chatKey) {
      const contactId = byKey.get(chatKey);
      return contactId === undefined ? undefined : live(byContact.get(contactId));
    },
    async getByContact(initialContactId) {
      return live(byContact.get(initialContactId));
    },
    async put(session) {
      byContact.delete(session.initialContactId);
      byContact.set(session.initialContactId, copyData(session));
      byKey.set(session.chatKey, session.initialContactId);
      for (const oldest of byContact.values()) {
        if (byContact.size <= maxSessions) break;
        forget(oldest);
      }
    },
    async delete(initialContactId) {
      const session = byContact.get(initialContactId);
      if (session) forget(session);
    },
    async lockChatStart(chatKey, owner, ttlMs) {
      const held = starting.get(chatKey);
      if (held && held.until > now() && held.owner !== owner) return false;
      starting.delete(chatKey);
      starting.set(chatKey, { owner, until: now() + ttlMs });
      // Bounded like the sessions: the oldest locks (expired long ago, in practice) go first.
      for (const key of starting.keys()) {
        if (starting.size <= maxSessions) break;
        starting.delete(key);
      }
      return true;
    },
    async unlockChatStart(chatKey, owner) {
      if (starting.get(chatKey)?.owner === owner) starting.delete(chatKey);
    },
  };
}
