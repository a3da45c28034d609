import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@connect-chat/core';
import { connectErrorStatus, injectedMessages, isParticipantOperation } from '../connect-errors.ts';
import type { SigV4Verifier } from '../auth/sigv4.ts';
import type { FaultInjector } from '../faults/faults.ts';
import { isRecord } from '../invalid-option.ts';
import type { ConnectErrorName, EmulatorOperation } from '../types.ts';
import { readBody } from './body.ts';
import { loseAnswer, sendAwsError } from './respond.ts';

/** Far above any valid request (16 KiB content + 32 KiB attributes), far below a memory problem. */
export const maxOperationBodyBytes = 1024 * 1024;

/** What every emulated operation needs before its own logic. */
export interface OperationContext {
  faults: FaultInjector;
  logger: Logger;
  shutdown: AbortSignal;
}

/** An AWS error as answered on the wire. */
export interface AwsFailure {
  status: number;
  error: string;
  message: string;
}

/** Who called, or why the call is refused (always before faults are drawn). */
export type Authentication<T> = { ok: true; caller: T } | ({ ok: false } & AwsFailure);

/** One received request of an operation: its caller and its JSON body as an object. */
export interface OperationRequest<T> {
  caller: T;
  body: Record<string, unknown>;
  requestId: string;
}

/** The name of the 400 error an operation's service answers for a malformed request. */
export function badRequestError(operation: EmulatorOperation): string {
  return isParticipantOperation(operation) ? 'ValidationException' : 'InvalidRequestException';
}

/**
 * The steps every operation shares, in the services' order: the body (bounded), the configured
 * latency and spikes, a connection reset, authentication, injected errors (which never change
 * state), then the JSON body. Resolves undefined once an error was answered or the connection reset.
 * A request drawn for a lost response is handed on with its answer, whatever the operation makes
 * it, replaced by a destroyed connection.
 *
 * @example
 * const request = await receiveOperation(context, 'SendMessage', req, res, requestId, authenticateBearer);
 * if (request) sendJson(res, 200, sendMessage(request));
 */
export async function receiveOperation<T>(
  context: OperationContext,
  operation: EmulatorOperation,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  authenticate: (body: Uint8Array) => Promise<Authentication<T>> | Authentication<T>,
): Promise<OperationRequest<T> | undefined> {
  const { faults, logger } = context;
  const badRequest = badRequestError(operation);
  const body = await readBody(req, maxOperationBodyBytes);
  if (body === undefined) {
    sendAwsError(res, 400, badRequest, `Request body exceeds ${maxOperationBodyBytes} bytes.`, { connection: 'close' });
    return undefined;
  }
  await holdRequest(context, operation, requestId);
  const connectionFault = faults.connectionFault(operation);
  if (connectionFault === 'reset') {
    logger.info('emulator: connection reset', { requestId, operation });
    res.destroy();
    return undefined;
  }
  const auth = await authenticate(body);
  if (!auth.ok) {
    logger.info('emulator: request refused', { requestId, operation, error: auth.error });
    sendAwsError(res, auth.status, auth.error, auth.message);
    return undefined;
  }
  // Connect and participant operations draw Connect errors only (validateFaults keeps channel errors on channel operations).
  const injected = faults.next(operation) as ConnectErrorName | undefined;
  if (injected) {
    logger.info('emulator: fault injected', { requestId, operation, error: injected });
    sendAwsError(res, connectErrorStatus[injected], injected, injectedMessages[injected]);
    return undefined;
  }
  if (connectionFault === 'lostResponse') {
    logger.info('emulator: answer will be lost', { requestId, operation });
    loseAnswer(res);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    sendAwsError(res, 400, badRequest, 'The request body is not valid JSON.');
    return undefined;
  }
  if (!isRecord(json)) {
    sendAwsError(res, 400, badRequest, 'The request body must be a JSON object.');
    return undefined;
  }
  return { caller: auth.caller, body: json, requestId };
}

/** Holds the request for `latencyMs` plus any drawn spike; it is handled afterwards even if the client gave up, as Connect would. */
async function holdRequest(context: OperationContext, operation: EmulatorOperation, requestId: string): Promise<void> {
  const delayMs = context.faults.delayOf(operation);
  if (delayMs === 0) return;
  context.logger.debug('emulator: delaying request', { requestId, operation, latencyMs: delayMs });
  await delay(delayMs, undefined, { signal: context.shutdown });
}

/** A request handler of one bound operation. */
export type OperationHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

/**
 * Connect's authentication: SigV4, checked by `verifier`; the caller is the region of the credential scope.
 *
 * @example
 * const request = await receiveOperation(context, 'StartChatContact', req, res, requestId, signedWith(verifier, req));
 */
export function signedWith(verifier: SigV4Verifier, req: IncomingMessage): (body: Uint8Array) => Promise<Authentication<{ region: string }>> {
  return async (body) => {
    const auth = await verifier.verify({ method: req.method ?? 'POST', url: req.url ?? '/', headers: req.headers, body });
    return auth.ok ? { ok: true, caller: { region: auth.region } } : { ok: false, status: 403, error: auth.error, message: auth.message };
  };
}
