import { type ChatSession, ConnectChatError, type SessionStore } from '@connect-chat/core';
import type { RedisCommands } from './client.ts';

/**
 * Options of {@link createRedisSessionStore}.
 *
 * @example
 * createRedisSessionStore({ redis, prefix: 'bridge-eu:' });
 */
export interface RedisSessionStoreOptions {
  redis: RedisCommands;
  /** Before every key. Default `connect-chat:`. */
  prefix?: string;
}

// A session under its contact, and the conversation's pointer to its current contact; both expire
// with the chat. Writes and the compare-and-delete are atomic.
const putScript = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return 1`;

const getByChatScript = `
local contact = redis.call('GET', KEYS[1])
if contact == false then return false end
return redis.call('GET', ARGV[1] .. contact)`;

const deleteScript = `
local stored = redis.call('GET', KEYS[1])
if stored == false then return 0 end
local pointer = ARGV[1] .. cjson.decode(stored).chatKey
if redis.call('GET', pointer) == ARGV[2] then redis.call('DEL', pointer) end
return redis.call('DEL', KEYS[1])`;

const lockScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;

const unlockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The session store on Redis, shared by every bridge instance: which chat each conversation is in
 * (the participant transport's tokens included) and each chat's channel address for replies, kept
 * until the chat's duration ends, and the lock that keeps two instances from starting two chats
 * for one conversation. Uses `EVAL` (with `cjson`), `GET`, `SET` and `DEL` on one Redis
 * (not Cluster: a conversation's two keys are read in one script). A Redis failure rejects: the
 * send answers 503 (`SESSION_STORE_UNAVAILABLE`).
 *
 * @example
 * const redis = await connectRedis({ url: process.env.REDIS_URL! });
 * const transport = createParticipantTransport({ region: 'us-east-1', sessions: createRedisSessionStore({ redis }) });
 */
export function createRedisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const { redis } = options;
  if (typeof redis?.eval !== 'function') throw new ConnectChatError('INVALID_OPTIONS', 'redis: expected a node-redis client (see connectRedis)');
  const base = options.prefix ?? 'connect-chat:';
  const byContact = `${base}session:`;
  const byChat = `${base}chat:`;
  const starting = `${base}starting:`;
  return {
    async get(chatKey) {
      return parse(await redis.eval(getByChatScript, { keys: [byChat + chatKey], arguments: [byContact] }));
    },
    async getByContact(initialContactId) {
      return parse(await redis.get(byContact + initialContactId));
    },
    async put(session) {
      const lifetimeMs = Math.ceil(session.expiresAt - Date.now());
      // A chat past its duration is gone at Connect too: nothing to keep.
      if (!(lifetimeMs > 0)) return;
      await redis.eval(putScript, {
        keys: [byContact + session.initialContactId, byChat + session.chatKey],
        arguments: [JSON.stringify(session), session.initialContactId, String(lifetimeMs)],
      });
    },
    async delete(initialContactId) {
      await redis.eval(deleteScript, { keys: [byContact + initialContactId], arguments: [byChat, initialContactId] });
    },
    // Two instances never start two chats for one conversation: SET NX PX, and a compare-and-delete.
    async lockChatStart(chatKey, owner, ttlMs) {
      return (await redis.eval(lockScript, { keys: [starting + chatKey], arguments: [owner, String(ttlMs)] })) === 1;
    },
    async unlockChatStart(chatKey, owner) {
      await redis.eval(unlockScript, { keys: [starting + chatKey], arguments: [owner] });
    },
  };
}

function parse(value: unknown): ChatSession | undefined {
  if (typeof value !== 'string') return undefined;
  return JSON.parse(value) as ChatSession;
}
