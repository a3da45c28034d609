import { toWebResponse } from '@connect-chat/core';
import type { HandleOptions, WebhookHandler } from '@connect-chat/core';
import type { Context } from 'hono';
import { toInboundRequest } from './to-inbound-request.ts';

/** Hands the request to core and answers with exactly what core decided. */
export async function respond(handler: WebhookHandler, c: Context): Promise<Response> {
  return toWebResponse(await handler.handle(await toInboundRequest(c), handleOptionsFor(c)));
}

/**
 * The per-request extras core takes from Hono: bindings (`c.env`, where Workers keep secrets) and
 * `waitUntil`, which only exists on runtimes with an ExecutionContext.
 */
function handleOptionsFor(c: Context): HandleOptions {
  const options: HandleOptions = {};
  if (typeof c.env === 'object' && c.env !== null) options.env = c.env as Record<string, unknown>;
  const executionCtx = executionCtxOf(c);
  if (executionCtx) options.waitUntil = (promise) => executionCtx.waitUntil(promise);
  return options;
}

// Hono's getter throws outside Workers (Node, Bun, Deno, app.request without a context), on every
// request there: without a stack trace, the throw costs a fifth as much.
function executionCtxOf(c: Context): { waitUntil(promise: Promise<unknown>): void } | undefined {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
