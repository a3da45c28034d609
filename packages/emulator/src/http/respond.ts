import type { ServerResponse } from 'node:http';

/** Writes a JSON response; `x-amzn-RequestId` was set when the request came in. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
