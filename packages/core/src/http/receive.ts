import { ConnectChatError } from '../errors/connect-chat-error.ts';
import type { InboundRequest, ReceivedRequest } from '../wire/types.ts';
import { truncate } from './handler-options.ts';
import { readBody } from './read-body.ts';

/** What a request must meet before a provider sees it. */
export interface ReceiveLimits {
  providerName: string;
  methods: readonly string[];
  contentTypes: ReadonlyMap<string, readonly string[]>;
  maxBodyBytes: number;
}

const utf8 = new TextDecoder();

/**
 * Method, content type and declared length first, then the body read within its limit: everything a
 * provider needs to verify. Throws `ConnectChatError` (405, 415, 413, 400) for what it refuses.
 */
export async function receive(request: InboundRequest, limits: ReceiveLimits): Promise<ReceivedRequest> {
  const method = String(request.method).toUpperCase();
  checkMethodAndType(method, request, limits);
  const declaredLength = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declaredLength > limits.maxBodyBytes) {
    throw new ConnectChatError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limits.maxBodyBytes} bytes.`);
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch (cause) {
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'The request URL is not a valid absolute URL.', { cause });
  }
  const body = await readWithin(request, limits.maxBodyBytes);
  return { method, url, headers: request.headers, body, text: utf8.decode(body) };
}

function checkMethodAndType(method: string, request: InboundRequest, limits: ReceiveLimits): void {
  if (!limits.methods.includes(method)) {
    throw new ConnectChatError('METHOD_NOT_ALLOWED', `${method} is not accepted here; use ${limits.methods.join(' or ')}.`);
  }
  const accepted = limits.contentTypes.get(method);
  if (!accepted) return;
  const header = request.headers.get('content-type');
  const mediaType = header?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!accepted.includes(mediaType)) {
    throw new ConnectChatError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${header ? JSON.stringify(truncate(header, 100)) : '(missing)'} is not accepted; ${limits.providerName} sends ${accepted.join(' or ')}.`,
    );
  }
}

async function readWithin(request: InboundRequest, maxBytes: number): Promise<Uint8Array> {
  try {
    return await readBody(request.body, maxBytes);
  } catch (error) {
    if (ConnectChatError.is(error)) throw error;
    // The client went away or the stream broke mid-body: bad input, not a server fault.
    throw new ConnectChatError('MALFORMED_PAYLOAD', 'The request body could not be read to the end.', { cause: error });
  }
}
