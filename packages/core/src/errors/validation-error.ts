import type { ChatIntegrationEvent } from '../model/types.ts';
import { ConnectChatError } from './connect-chat-error.ts';

/** One broken constraint: where (`path`, e.g. `Event.Content`) and what to do about it. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * A chat integration event broke one or more of the API's constraints (code `INVALID_EVENT`,
 * answered 422). Nothing was sent.
 *
 * @example
 * catch (error) {
 *   if (error instanceof ValidationError) for (const issue of error.issues) console.log(issue.path, issue.message);
 * }
 */
export class ValidationError extends ConnectChatError {
  readonly issues: readonly ValidationIssue[];
  /** The event that broke them, when one was built (the webhook handler reports it to `onError`). */
  readonly event: ChatIntegrationEvent | undefined;

  constructor(issues: readonly ValidationIssue[], options: { cause?: unknown; event?: ChatIntegrationEvent } = {}) {
    super('INVALID_EVENT', `Invalid chat integration event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, options);
    this.name = 'ValidationError';
    this.issues = issues;
    this.event = options.event;
  }
}
