import { connectChatOptionsFromEnv } from '@connect-chat/bridge-kit/config';
import type { ConnectChatOptions } from '@connect-chat/core';

/** The sample-app configuration contract (ARCHITECTURE.md), as env vars or Workers bindings. */
export type BridgeEnv = Readonly<Record<string, string | undefined>>;

/**
 * The bridge configuration for every runtime under test (Workers bindings, Deno, Bun), read by
 * core's `connectChatOptionsFromEnv` as users' bridges read it.
 */
export function chatOptionsFromEnv(env: BridgeEnv, fetch?: typeof globalThis.fetch): ConnectChatOptions {
  const { options } = connectChatOptionsFromEnv(env);
  return {
    ...options,
    // The same small budget as the suite's in-process options, so fault cases stay fast.
    sender: { ...options.sender, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, attemptTimeoutMs: 2_000 }, deadlineMs: 5_000 },
    ...(fetch ? { fetch } : {}),
  };
}
