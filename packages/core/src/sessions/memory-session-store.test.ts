import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from './memory-session-store.ts';
import type { ChatSession } from './types.ts';

const session = (chatKey: string, initialContactId: string, expiresAt = 10_000): ChatSession => ({
  chatKey,
  initialContactId,
  startedBy: `key-${initialContactId}`,
  startedAt: 0,
  expiresAt,
  address: { provider: 'twilio', channel: 'sms', customer: '+14155550100', business: '+14255550182' },
});

describe('createMemorySessionStore', () => {
  it('finds a session by conversation and by contact, as copies', async () => {
    const store = createMemorySessionStore({ now: () => 0 });
    await store.put(session('chat-a', 'contact-1'));
    const byKey = await store.get('chat-a');
    expect(byKey?.initialContactId).toBe('contact-1');
    expect((await store.getByContact('contact-1'))?.chatKey).toBe('chat-a');
    byKey!.address!.customer = 'changed';
    expect((await store.get('chat-a'))?.address?.customer).toBe('+14155550100');
  });

  it('keeps its own copy of what was put: changing the object afterwards changes nothing stored', async () => {
    const store = createMemorySessionStore({ now: () => 0 });
    const stored = { ...session('chat-a', 'contact-1'), address: { ...session('chat-a', 'contact-1').address!, businessAliases: ['pn-1'] } };
    await store.put(stored);
    stored.address.businessAliases.push('pn-2');
    stored.address.customer = 'changed';
    stored.expiresAt = 0;
    const copy = await store.getByContact('contact-1');
    expect(copy).toStrictEqual({ ...session('chat-a', 'contact-1'), address: { ...session('chat-a', 'contact-1').address!, businessAliases: ['pn-1'] } });
    copy!.address!.businessAliases!.push('from-the-copy');
    expect((await store.get('chat-a'))?.address?.businessAliases).toEqual(['pn-1']);
  });

  it("a conversation's new chat replaces the old one by key; deleting the old contact keeps the new", async () => {
    const store = createMemorySessionStore({ now: () => 0 });
    await store.put(session('chat-a', 'contact-1'));
    await store.put(session('chat-a', 'contact-2'));
    expect((await store.get('chat-a'))?.initialContactId).toBe('contact-2');
    await store.delete('contact-1');
    expect(await store.getByContact('contact-1')).toBeUndefined();
    expect((await store.get('chat-a'))?.initialContactId).toBe('contact-2');
    await store.delete('contact-2');
    expect(await store.get('chat-a')).toBeUndefined();
  });

  it('forgets a session when its chat duration ends', async () => {
    let now = 0;
    const store = createMemorySessionStore({ now: () => now });
    await store.put(session('chat-a', 'contact-1', 1_000));
    now = 999;
    expect(await store.get('chat-a')).toBeDefined();
    now = 1_000;
    expect(await store.get('chat-a')).toBeUndefined();
    expect(await store.getByContact('contact-1')).toBeUndefined();
  });

  it('keeps at most maxSessions, forgetting the least recently stored first', async () => {
    const store = createMemorySessionStore({ maxSessions: 2, now: () => 0 });
    await store.put(session('chat-a', 'contact-1'));
    await store.put(session('chat-b', 'contact-2'));
    await store.put(session('chat-a', 'contact-1')); // refreshed: now the newest
    await store.put(session('chat-c', 'contact-3'));
    expect(await store.get('chat-b')).toBeUndefined();
    expect((await store.get('chat-a'))?.initialContactId).toBe('contact-1');
    expect((await store.get('chat-c'))?.initialContactId).toBe('contact-3');
  });

  it('refuses bad options naming them', () => {
    expect(() => createMemorySessionStore({ maxSessions: 0 })).toThrow(/maxSessions: expected a positive integer/);
    expect(() => createMemorySessionStore({ ttl: 1 } as never)).toThrow(/ttl: unknown option/);
  });
});
