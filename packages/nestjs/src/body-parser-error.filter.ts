import { ConnectChatError, type RawBody } from '@connect-chat/core';
import { type ArgumentsHost, Catch, Inject } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { ConnectChatService } from './connect-chat.service.ts';
import { type MiddlewareRequest, pathnameOf, serve } from './webhook.middleware.ts';

/** What Express's body parsers (body-parser) say when they refuse a body. */
interface BodyParserFailure {
  type: string;
  message: string;
}

/**
 * Nest's global JSON and form parsers run before any module middleware, on Express. When they refuse
 * a webhook's body (invalid JSON, over their 100 kB limit), this hands the request to core anyway, so
 * the provider gets core's answer (`{"error":{"code","message"}}`) and the hooks see it. Every other
 * exception, and every other route, goes to Nest's own handling.
 */
@Catch()
export class WebhookBodyErrorFilter extends BaseExceptionFilter {
  @Inject(ConnectChatService) private readonly service!: ConnectChatService;

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<MiddlewareRequest>();
    const failure = bodyParserFailure(exception);
    const handler = failure && host.getType() === 'http' ? this.service.connectChat.match(pathnameOf(req)) : undefined;
    if (failure && handler) void serve(handler, req, http.getResponse<ServerResponse>(), bodyFor(failure, req));
    else super.catch(exception, host);
  }
}

function bodyParserFailure(exception: unknown): BodyParserFailure | undefined {
  // Nest 12 wraps body-parser's error in an HttpException (`cause`); Nest 11 may pass it as is.
  for (const candidate of [exception, (exception as { cause?: unknown } | null)?.cause]) {
    const { type, message } = (candidate ?? {}) as Partial<BodyParserFailure>;
    if (typeof type === 'string' && type.startsWith('entity.') && typeof message === 'string') return { type, message };
  }
  return undefined;
}

/** The bytes the parser kept (it keeps them before parsing), or a body that fails as the parser did. */
function bodyFor(failure: BodyParserFailure, req: MiddlewareRequest): RawBody {
  if (failure.type === 'entity.parse.failed' && req.rawBody instanceof Uint8Array) return req.rawBody;
  const code = failure.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_PAYLOAD';
  const refused = new ConnectChatError(code, `The request body was refused by the body parser: ${failure.message}.`);
  return new ReadableStream({ start: (controller) => controller.error(refused) });
}
