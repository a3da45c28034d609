export interface OutboundGetOptions {
  timeoutMs: number;
  /** Cancels the call early too, e.g. the request's processing deadline. */
  signal?: AbortSignal | undefined;
}

/**
 * GETs a URL and reads the response with `read`, all within `timeoutMs`. The timeout also wins
 * over a fetch implementation that ignores its signal, so a hung endpoint never hangs a webhook.
 */
export async function getWithTimeout<T>(fetchImpl: typeof fetch, url: URL, options: OutboundGetOptions, read: (response: Response) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    // Never followed: a redirect would leave the host that was judged trustworthy.
    return await Promise.race([fetchImpl(url.href, { method: 'GET', signal, redirect: 'manual' }).then(read), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** The body as UTF-8 text, refusing (and cancelling) bodies larger than `maxBytes`. */
export async function readTextWithin(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`response body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** A failure in words safe to put in an error message. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'name' in error)) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (name === 'TimeoutError') return 'timed out';
    if (name === 'AbortError') return 'aborted';
    if (typeof message === 'string' && message !== '') return message;
  }
  return String(error);
}
