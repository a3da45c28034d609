import { ConnectChatError } from '../errors/connect-chat-error.ts';
import { chatIntegrationConstraints } from './constraints.ts';

/**
 * Splits text into ordered parts of at most `maxLength` characters (Unicode code points, the unit
 * Connect counts), cutting at the last whitespace of each part where there is one; the whitespace
 * at a cut is dropped. Never splits a surrogate pair, never returns an empty part; `''` gives `[]`.
 * Used for text/plain over 1,024 characters on SMS and WhatsApp chats.
 *
 * @example
 * for (const part of splitText(longText)) await sender.send(textMessage(chat, part));
 */
export function splitText(text: string, maxLength: number = chatIntegrationConstraints.phoneTextMaxLength): string[] {
  if (typeof text !== 'string') throw new ConnectChatError('INVALID_OPTIONS', `text: expected a string, got ${text === null ? 'null' : typeof text}`);
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new ConnectChatError('INVALID_OPTIONS', `maxLength: expected a positive integer, got ${String(maxLength)}`);
  }
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = advance(text, start, maxLength);
    if (end === text.length) {
      parts.push(text.slice(start));
      break;
    }
    const cut = lastBreak(text, start, end);
    if (cut === undefined) {
      parts.push(text.slice(start, end));
      start = end;
      continue;
    }
    parts.push(text.slice(start, cut.partEnd));
    start = cut.nextStart;
  }
  return parts;
}

/** The UTF-16 index `count` code points after `start`, or the end of the text. */
function advance(text: string, start: number, count: number): number {
  let index = start;
  for (let n = 0; n < count && index < text.length; n++) {
    index += isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1)) ? 2 : 1;
  }
  return index;
}

/**
 * The last whitespace run touching the window [start, end]: the part ends before it, the next part
 * starts after it. Undefined when the window holds no usable break (then the caller cuts hard).
 */
function lastBreak(text: string, start: number, end: number): { partEnd: number; nextStart: number } | undefined {
  for (let i = end; i > start; i--) {
    if (!isBreakingSpace(text.charCodeAt(i))) continue;
    let partEnd = i;
    while (partEnd > start && isBreakingSpace(text.charCodeAt(partEnd - 1))) partEnd--;
    if (partEnd === start) return undefined;
    let nextStart = i + 1;
    while (nextStart < text.length && isBreakingSpace(text.charCodeAt(nextStart))) nextStart++;
    return { partEnd, nextStart };
  }
  return undefined;
}

// No-break spaces (U+00A0, U+2007, U+202F) are excluded on purpose: the writer asked not to break there.
function isBreakingSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x85 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x2006) ||
    (code >= 0x2008 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x205f ||
    code === 0x3000
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
