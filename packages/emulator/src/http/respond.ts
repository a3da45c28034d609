import type { ServerResponse } from 'node:http';

/** Responses whose answer `loseAnswer` replaced with a destroyed connection. */
const lostAnswers = new WeakSet<ServerResponse>();

/**
 * Makes the answer to a request, whatever it will be, a destroyed connection instead: the
 * `lostResponseRate` fault. The request is still handled; only `sendJson` (through which every
 * Connect and participant answer goes) is told to drop what it would have written.
 *
 * @example
 * loseAnswer(res);
 * sendJson(res, 200, output); // destroys the connection, writes nothing
 */
export function loseAnswer(res: ServerResponse): void {
  lostAnswers.add(res);
}

/**
 * Writes a JSON response; `x-amzn-RequestId` was set when the request came in. After `loseAnswer`
 * it destroys the connection instead.
 *
 * @example
 * sendJson(res, 200, { status: 'ok' });
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (lostAnswers.has(res)) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * An error as Connect's restJson1 endpoint answers it: the name in `x-amzn-ErrorType` (read first
 * by the AWS SDK) and the message under both spellings the SDK accepts.
 */
export function sendAwsError(res: ServerResponse, status: number, name: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { message, Message: message }, { ...headers, 'x-amzn-ErrorType': name });
}

/** An error of the emulator's own control endpoints, in the project's `{ error: { code, message } }` shape. */
export function sendControlError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}
