import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { readBody } from '../http/body.ts';
import type { OperationContext } from '../http/aws-operation.ts';
import type { PhoneStore } from './phone-store.ts';
import type { ChannelErrorName, ChannelOperation } from '../types.ts';

/** Far above any valid message, far below a memory problem. */
export const maxChannelBodyBytes = 256 * 1024;

/** What every emulated channel API needs. */
export interface ChannelContext extends OperationContext {
  phone: PhoneStore;
}

/** How one channel answers: its refusal of a body too large, and each injected fault, in its own wire format. */
export interface ChannelWire {
  tooLarge(res: ServerResponse): void;
  fault(res: ServerResponse, error: ChannelErrorName): void;
}

/**
 * The steps every channel API shares, in the services' order: the body (bounded), the configured
 * latency, the channel's authentication (which answers its own refusal and resolves false), then
 * injected faults (which record nothing). Resolves the body, or undefined once an error was answered.
 *
 * @example
 * const body = await receiveChannelRequest(context, 'TwilioCreateMessage', req, res, twilioWire, () => checkBasicAuth(req, res));
 */
export async function receiveChannelRequest(
  context: ChannelContext,
  operation: ChannelOperation,
  req: IncomingMessage,
  res: ServerResponse,
  wire: ChannelWire,
  authenticate: (body: Uint8Array) => Promise<boolean> | boolean,
): Promise<Uint8Array | undefined> {
  const { faults, logger, shutdown } = context;
  const body = await readBody(req, maxChannelBodyBytes);
  if (body === undefined) {
    res.setHeader('connection', 'close');
    wire.tooLarge(res);
    return undefined;
  }
  const delayMs = faults.delayOf(operation);
  if (delayMs > 0) await delay(delayMs, undefined, { signal: shutdown });
  if (!(await authenticate(body))) {
    logger.info('emulator: channel request refused', { operation });
    return undefined;
  }
  const injected = faults.next(operation) as ChannelErrorName | undefined;
  if (injected) {
    logger.info('emulator: fault injected', { operation, error: injected });
    wire.fault(res, injected);
    return undefined;
  }
  return body;
}
