import { parseArgs } from 'node:util';
import { ConnectChatError } from '@connect-chat/core';
import { describe } from '../invalid-option.ts';
import { parseBridgeUrl } from '../simulate/loopback.ts';
import type { ChatRecord } from '../types.ts';

/** What the `reply` subcommand needs from its surroundings. */
export interface ReplyCommandIo {
  out(text: string): void;
  err(text: string): void;
}

export const replyUsage = `Usage: connect-chat-emulator reply --emulator <url> --contact <contactId|latest> --text <text> [options]

Plays the agent: answers in a chat of a running emulator (POST /_emulator/chats/<contactId>/reply),
which streams the reply to the chat's SNS topic and its subscribed endpoints. Prints the transcript
item id and each delivery; exits 0 when the emulator accepted the reply, 1 otherwise.

Options:
  --emulator <url>        the running emulator, e.g. http://127.0.0.1:4050 (only this machine)
  --contact <id|latest>   the chat's contact id, or latest for the newest active chat
  --text <text>           the reply
  --visibility <v>        ALL (default), CUSTOMER or AGENT
  --role <role>           AGENT (default), SYSTEM, CUSTOM_BOT or SUPERVISOR
  --display-name <name>   the name shown to the customer
  -h, --help              show this help
`;

const optionsSpec = {
  emulator: { type: 'string' },
  contact: { type: 'string' },
  text: { type: 'string' },
  visibility: { type: 'string' },
  role: { type: 'string' },
  'display-name': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** The newest active chat's contact id (`GET /_emulator/chats` lists newest first). */
async function latestActiveChat(emulator: URL): Promise<string> {
  const chats = (await (await fetch(new URL('/_emulator/chats', emulator))).json()) as ChatRecord[];
  const chat = chats.find((candidate) => candidate.active);
  if (!chat) throw new ConnectChatError('INVALID_OPTIONS', '--contact latest: the emulator has no active chat');
  return chat.contactId;
}

/**
 * `connect-chat-emulator reply …`: resolves with the exit code (0 when the emulator accepted the
 * reply, 1 when it refused or was unreachable, 2 on bad usage).
 *
 * @example
 * process.exitCode = await runReplyCommand(['--emulator', 'http://127.0.0.1:4050', '--contact', 'latest', '--text', 'Hi'], { out: console.log, err: console.error });
 */
export async function runReplyCommand(argv: readonly string[], io: ReplyCommandIo): Promise<number> {
  let emulator: URL;
  let contact: string;
  let body: Record<string, string>;
  try {
    const { values } = parseArgs({ args: [...argv], options: optionsSpec, strict: true, allowPositionals: false });
    if (values.help) {
      io.out(replyUsage);
      return 0;
    }
    emulator = parseBridgeUrl(required(values.emulator, '--emulator <url>'), '--emulator');
    contact = required(values.contact, '--contact <contactId|latest>');
    body = { text: required(values.text, '--text <text>') };
    if (values.visibility !== undefined) body['visibility'] = values.visibility;
    if (values.role !== undefined) body['role'] = values.role;
    if (values['display-name'] !== undefined) body['displayName'] = values['display-name'];
  } catch (error) {
    const usage = error instanceof UsageError || (ConnectChatError.is(error) && error.code === 'INVALID_OPTIONS') || isParseArgsError(error);
    if (!usage) throw error;
    io.err(`connect-chat-emulator reply: ${(error as Error).message}\nRun connect-chat-emulator reply --help for the options.\n`);
    return 2;
  }
  try {
    const contactId = contact === 'latest' ? await latestActiveChat(emulator) : contact;
    const url = new URL(`/_emulator/chats/${encodeURIComponent(contactId)}/reply`, emulator);
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), redirect: 'manual' });
    const answer = (await response.json().catch(() => ({}))) as {
      item?: { id: string };
      deliveries?: Array<{ endpoint: string; status: number; attempts: number }>;
      error?: { code?: string; message?: string };
    };
    if (!response.ok || !answer.item) {
      io.err(`connect-chat-emulator reply: HTTP ${response.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}`.trimEnd() + '\n');
      return 1;
    }
    const deliveries = answer.deliveries ?? [];
    io.out(
      `Replied in ${contactId}: item ${answer.item.id}\n${
        deliveries.length === 0
          ? 'Not streamed: the chat has no streaming topic, or no endpoint subscribes to it.\n'
          : deliveries.map((d) => `  → ${d.endpoint} HTTP ${d.status} after ${d.attempts} attempt(s)\n`).join('')
      }`,
    );
    return 0;
  } catch (error) {
    if (ConnectChatError.is(error)) {
      io.err(`connect-chat-emulator reply: ${error.message}\n`);
      return 1;
    }
    io.err(`connect-chat-emulator reply: no emulator answered at ${emulator.origin} (${describe((error as Error).message)})\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
