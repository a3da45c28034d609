/** Names what a caller passed, for `expected X, got Y` messages; never prints the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object without the expected methods';
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
