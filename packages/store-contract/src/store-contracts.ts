import type { ChatSession, IdempotencyStore, SessionStore } from '@connect-chat/core';
import { describe, expect, it } from 'vitest';

/** Waits until `check` holds, polling the store itself (an expiry is a real condition, not a sleep). */
async function eventually(check: () => Promise<boolean>, withinMs = 3_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * The behaviour every `IdempotencyStore` must have, whatever holds it: `make` builds a store whose
 * claims in flight expire after `inFlightTtlMs` (about 200 ms here) with keys no other test uses.
 *
 * @example
 * describeIdempotencyStoreContract('memory', (inFlightTtlMs) => createMemoryIdempotencyStore({ inFlightTtlMs }));
 */
export function describeIdempotencyStoreContract(name: string, make: (inFlightTtlMs: number) => IdempotencyStore | Promise<IdempotencyStore>): void {
  const key = (label: string) => `contract:${label}:${crypto.randomUUID()}`;
  describe(`IdempotencyStore contract: ${name}`, () => {
    it('one claim wins; the others see it in flight, then completed once completed', async () => {
      const store = await make(60_000);
      const k = key('claim');
      const answers = await Promise.all(['a', 'b', 'c', 'd'].map((owner) => store.claim(k, owner)));
      expect(answers.filter((answer) => answer === 'claimed')).toHaveLength(1);
      expect(answers.filter((answer) => answer === 'in-flight')).toHaveLength(3);
      await store.complete(k);
      expect(await store.claim(k, 'e')).toBe('completed');
    });

    it('release frees a claim for its owner only, and never undoes a completion', async () => {
      const store = await make(60_000);
      const k = key('release');
      expect(await store.claim(k, 'owner-1')).toBe('claimed');
      await store.release(k, 'someone-else');
      expect(await store.claim(k, 'owner-2')).toBe('in-flight');
      await store.release(k, 'owner-1');
      expect(await store.claim(k, 'owner-2')).toBe('claimed');
      await store.complete(k);
      await store.release(k, 'owner-2');
      expect(await store.claim(k, 'owner-3')).toBe('completed');
    });

    it('a claim whose sender died expires, and its late release does not free the next owner', async () => {
      const store = await make(200);
      const k = key('expiry');
      expect(await store.claim(k, 'crashed')).toBe('claimed');
      // Polled with a probe owner: the first claim after the expiry wins for it.
      await eventually(async () => (await store.claim(k, 'retry')) === 'claimed');
      await store.release(k, 'crashed');
      expect(await store.claim(k, 'third')).toBe('in-flight');
    });

    it('keys are independent', async () => {
      const store = await make(60_000);
      const [a, b] = [key('a'), key('b')];
      expect(await store.claim(a, 'x')).toBe('claimed');
      expect(await store.claim(b, 'x')).toBe('claimed');
      await store.complete(a);
      expect(await store.claim(b, 'y')).toBe('in-flight');
    });
  });
}

/**
 * The behaviour every `SessionStore` must have. `make` builds an empty store (or one whose keys no
 * other test uses).
 *
 * @example
 * describeSessionStoreContract('memory', () => createMemorySessionStore());
 */
export function describeSessionStoreContract(name: string, make: () => SessionStore | Promise<SessionStore>): void {
  const session = (chatKey: string, initialContactId: string, lifetimeMs = 60_000): ChatSession => ({
    chatKey,
    initialContactId,
    startedBy: `twilio:${initialContactId}`,
    startedAt: Date.now(),
    expiresAt: Date.now() + lifetimeMs,
    address: { provider: 'whatsapp', channel: 'whatsapp', customer: '+14155550100', business: '+14255550182', businessAliases: ['106540352242922'] },
    participant: { participantId: 'p-1', participantToken: 'pt', connectionToken: 'ct', connectionExpiresAt: Date.now() + 3_600_000 },
  });
  const ids = () => [`chat:${crypto.randomUUID()}`, crypto.randomUUID()] as const;

  describe(`SessionStore contract: ${name}`, () => {
    it('finds a session by conversation and by contact, every field as stored', async () => {
      const store = await make();
      const [chatKey, contact] = ids();
      const stored = session(chatKey, contact);
      await store.put(stored);
      expect(await store.get(chatKey)).toEqual(stored);
      expect(await store.getByContact(contact)).toEqual(stored);
      expect(await store.get(`chat:${crypto.randomUUID()}`)).toBeUndefined();
    });

    it("a conversation's new chat replaces the old one; deleting the old contact keeps the new one", async () => {
      const store = await make();
      const [chatKey, first] = ids();
      const second = crypto.randomUUID();
      await store.put(session(chatKey, first));
      await store.put(session(chatKey, second));
      expect((await store.get(chatKey))?.initialContactId).toBe(second);
      await store.delete(first);
      expect(await store.getByContact(first)).toBeUndefined();
      expect((await store.get(chatKey))?.initialContactId).toBe(second);
      await store.delete(second);
      expect(await store.get(chatKey)).toBeUndefined();
    });

    it('a put replaces the session of its contact (a refreshed token, a new address)', async () => {
      const store = await make();
      const [chatKey, contact] = ids();
      const original = session(chatKey, contact);
      await store.put(original);
      const refreshed = { ...original, participant: { ...original.participant!, connectionToken: 'ct-2' } };
      await store.put(refreshed);
      expect((await store.getByContact(contact))?.participant?.connectionToken).toBe('ct-2');
    });

    it("lets one owner at a time start a conversation's chat (when the store offers the lock)", async () => {
      const store = await make();
      if (!store.lockChatStart || !store.unlockChatStart) return;
      const [chatKey] = ids();
      const wins = await Promise.all(['a', 'b', 'c'].map((owner) => store.lockChatStart!(chatKey, owner, 60_000)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = ['a', 'b', 'c'][wins.indexOf(true)]!;
      await store.unlockChatStart(chatKey, 'not-the-owner');
      expect(await store.lockChatStart(chatKey, 'd', 60_000)).toBe(false);
      await store.unlockChatStart(chatKey, winner);
      expect(await store.lockChatStart(chatKey, 'd', 60_000)).toBe(true);
      // A crashed owner's lock expires.
      const [other] = ids();
      expect(await store.lockChatStart(other, 'crashed', 150)).toBe(true);
      await eventually(async () => store.lockChatStart!(other, 'next', 60_000));
    });

    it('forgets a session when its chat ends by duration', async () => {
      const store = await make();
      const [chatKey, contact] = ids();
      await store.put(session(chatKey, contact, 200));
      expect(await store.get(chatKey)).toBeDefined();
      await eventually(async () => (await store.get(chatKey)) === undefined && (await store.getByContact(contact)) === undefined);
    });
  });
}
