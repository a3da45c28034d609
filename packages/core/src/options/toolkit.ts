import { ConnectChatError } from '../errors/connect-chat-error.ts';

/**
 * A value in an error message: short, and never a secret's text (`{ secret: true }` names only its
 * kind, and whether a string was empty). Numbers and booleans as they are, strings quoted and cut at 60 characters.
 *
 * @example
 * describeValue('10s'); // '"10s"'
 * describeValue('hunter2', { secret: true }); // 'a string'
 */
export function describeValue(value: unknown, options: { secret?: boolean } = {}): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return options.secret ? `a ${typeof value}` : String(value);
  if (typeof value === 'string') {
    if (value === '') return 'an empty string';
    if (options.secret) return 'a string';
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  }
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Whether a value is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The one shape of an option error: `<path>: expected <what>, got <value>`, as `INVALID_OPTIONS`.
 *
 * @example
 * invalidOption('retry.maxAttempts', 'a positive integer', 0); // throws "retry.maxAttempts: expected a positive integer, got 0"
 */
export function invalidOption(path: string, expected: string, got: unknown, options: { secret?: boolean } = {}): never {
  throw new ConnectChatError('INVALID_OPTIONS', `${path}: expected ${expected}, got ${describeValue(got, options)}`);
}

/** Asserts `value` is an object, or throws `INVALID_OPTIONS` naming `path`. */
export function expectRecord(value: unknown, path: string, expected = 'an object'): asserts value is Record<string, unknown> {
  if (!isRecord(value)) invalidOption(path, expected, value);
}

/** Refuses a key that is not an option: a typo must not be silently ignored. */
export function rejectUnknownKeys(value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConnectChatError('INVALID_OPTIONS', `${prefix}${key}: unknown option; expected one of ${known.join(', ')}`);
  }
}

/** The names of an options type, checked against it by the compiler: `optionNames<T>()({ a: true, … })`. */
export function optionNames<T>(): (names: Record<keyof T, true>) => readonly string[] {
  return (names) => Object.freeze(Object.keys(names));
}

/** An integer ≥ `min` (default 1), or `fallback` when unset. */
export function positiveInteger(value: unknown, path: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    invalidOption(path, min === 0 ? 'a whole number ≥ 0' : 'a positive integer', value);
  }
  return value;
}

/** A finite number > 0, or `fallback` when unset. */
export function positiveNumber(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalidOption(path, 'a positive number', value);
  return value;
}
