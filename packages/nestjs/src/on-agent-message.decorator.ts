import { DiscoveryService } from '@nestjs/core';

/**
 * Options of {@link OnAgentMessage}.
 *
 * @example
 * @OnAgentMessage({ provider: 'whatsapp' } satisfies OnAgentMessageOptions)
 */
export interface OnAgentMessageOptions {
  /** Only replies to customers of this provider (e.g. `twilio`); default: every provider. */
  provider?: string;
}

/**
 * Marks a provider method that observes or vetoes an agent's reply before it is delivered to the
 * customer's channel (needs the module's `replies` option). It receives the `AgentMessage` and the
 * chat's `ChatSession`, and returns `false` to not deliver it (answered 2xx, reported to
 * `onIgnored`) or nothing to deliver it. A throw answers 500, so SNS retries. Methods run after
 * `replies.hooks.onAgentMessage`, in module order. Only singleton providers are discovered.
 *
 * @example
 * @Injectable()
 * export class ReplyAudit {
 *   @OnAgentMessage()
 *   record(message: AgentMessage, session: ChatSession) {
 *     this.audit.write({ contact: message.initialContactId, to: session.address?.customer, at: message.absoluteTime });
 *   }
 * }
 */
export const OnAgentMessage = DiscoveryService.createDecorator<OnAgentMessageOptions | undefined>();
