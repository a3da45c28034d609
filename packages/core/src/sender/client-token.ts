import { sha256 } from '#crypto';
import { toHex } from '../providers/encoding.ts';

/**
 * The ClientToken of one call: the same for every retry of the same message and call, different
 * for any other. A SHA-256 of the message's idempotency key and the call's purpose, in hex (64
 * characters, within every API's 500), so no provider id of any length or alphabet leaks into it.
 *
 * @example
 * await clientToken('twilio:SM123', 'SendMessage:1'); // the same on the provider's retry
 */
export async function clientToken(idempotencyKey: string, purpose: string): Promise<string> {
  return toHex(await sha256(new TextEncoder().encode(`${idempotencyKey}\n${purpose}`)));
}
