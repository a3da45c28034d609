import { ConnectChatError } from '@connect-chat/core';

/**
 * Throws INVALID_OPTIONS naming the option, what was expected and what was given (`got` replaces
 * the description of `value`, e.g. to keep a secret out of the message).
 */
export function invalidOption(path: string, expected: string, value: unknown, got = describe(value)): never {
  throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${got}`);
}

/** A short, secret-free description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
