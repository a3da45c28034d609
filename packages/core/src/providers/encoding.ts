/**
 * Lowercase hex of bytes.
 *
 * @example
 * toHex(new Uint8Array([1, 171])); // '01ab'
 */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Bytes of a lowercase hex string, or `undefined` when it is not one. Only the canonical spelling
 * is accepted, so no two header values carry the same signature.
 */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/**
 * Standard (padded) base64 of bytes.
 *
 * @example
 * toBase64(new Uint8Array([104, 105])); // 'aGk='
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Bytes of a padded standard base64 string, or `undefined` when it is not one. Non-canonical
 * spellings (stray bits in the last character) are refused, so no two header values carry the
 * same signature.
 *
 * @example
 * fromBase64('aGk='); // Uint8Array [104, 105]; fromBase64('aGl=') → undefined
 */
export function fromBase64(base64: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) return undefined;
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === base64 ? bytes : undefined;
}
