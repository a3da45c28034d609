/** Provider message ids longer than this are refused (400): no provider documents longer ids. */
export const maxMessageIdLength = 255;

/**
 * The idempotency key of one event of a provider message: `<provider>:<id>`, or
 * `<provider>:<id>#<part>` when the message was split into several events. Both names are
 * percent-encoded, so no id can produce another message's key (`order-7#2` is not part 2 of
 * `order-7`, and `a:b` from provider `x` is not `b` from provider `x:a`).
 *
 * @example
 * idempotencyKey('generic', 'order-7#2'); // 'generic:order-7%232'
 * idempotencyKey('generic', 'order-7', 2); // 'generic:order-7#2'
 */
export function idempotencyKey(provider: string, messageId: string, part?: number): string {
  const key = `${encodeURIComponent(provider)}:${encodeURIComponent(messageId)}`;
  return part === undefined ? key : `${key}#${part}`;
}
