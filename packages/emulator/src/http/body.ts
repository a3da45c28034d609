import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendControlError } from './respond.ts';

/**
 * Reads the whole body, or resolves `undefined` as soon as it grows past `maxBytes` (the rest is
 * drained, never buffered).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on('error', reject);
  });
}

/** A control route's JSON body, or `undefined` once the refusal (413, 400) was sent. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number): Promise<{ value: unknown } | undefined> {
  const body = await readBody(req, maxBytes);
  if (body === undefined) {
    sendControlError(res, 413, 'PAYLOAD_TOO_LARGE', `Body exceeds ${maxBytes} bytes.`);
    return undefined;
  }
  try {
    return { value: JSON.parse(new TextDecoder().decode(body)) };
  } catch {
    sendControlError(res, 400, 'MALFORMED_PAYLOAD', 'The body is not valid JSON.');
    return undefined;
  }
}
