import { ConnectChatError } from '../../src/errors/connect-chat-error.ts';
import type { ReceivedRequest } from '../../src/wire/types.ts';

/** A Web `Request` as the handler hands it to a provider once its body is read (the request stays readable). */
export async function received(request: Request): Promise<ReceivedRequest> {
  const body = new Uint8Array(await request.clone().arrayBuffer());
  return { method: request.method, url: new URL(request.url), headers: request.headers, body, text: new TextDecoder().decode(body) };
}

/** The ConnectChatError a promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<ConnectChatError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!ConnectChatError.is(error)) throw new Error(`expected a ConnectChatError, got ${String(error)}`);
  return error;
}
