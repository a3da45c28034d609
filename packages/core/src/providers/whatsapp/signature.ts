/**
 * Meta's escaped-unicode form of a payload: every non-ASCII UTF-16 code unit as `\uXXXX` with
 * lowercase hex, so astral characters (emoji) become surrogate pairs. Meta computes
 * `X-Hub-Signature-256` over this form while sending the characters unescaped. In valid JSON
 * non-ASCII characters only occur inside strings, where the escape means the same character.
 */
export function escapeUnicode(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether escaping changes anything, i.e. the text has a non-ASCII character. */
export function hasNonAscii(text: string): boolean {
  return /[\u0080-\uffff]/.test(text);
}
