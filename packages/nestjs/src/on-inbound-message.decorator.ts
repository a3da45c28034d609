import { DiscoveryService } from '@nestjs/core';

/**
 * Options of {@link OnInboundMessage}.
 *
 * @example
 * @OnInboundMessage({ provider: 'whatsapp' } satisfies OnInboundMessageOptions)
 */
export interface OnInboundMessageOptions {
  /** Only messages from this provider (e.g. `twilio`); default: every provider. */
  provider?: string;
}

/**
 * Marks a provider method that observes or enriches inbound messages before they are routed to
 * Connect. It receives the `InboundMessage` and returns a changed message, `false` to drop it
 * (answered 2xx, reported to `onIgnored`) or nothing to keep it. A throw answers 500 and nothing is
 * sent, so the provider retries. Methods run after `hooks.onMessage`, in module order, each
 * seeing the previous one's result. Only singleton providers are discovered.
 *
 * @example
 * @Injectable()
 * export class CrmEnricher {
 *   constructor(private readonly crm: CrmService) {}
 *
 *   @OnInboundMessage({ provider: 'twilio' })
 *   async addCustomerId(message: InboundMessage): Promise<InboundMessage | false> {
 *     const customer = await this.crm.findByPhone(message.from);
 *     if (customer?.blocked) return false;
 *     return { ...message, hints: { ...message.hints, attributes: { ...message.hints?.attributes, customerId: customer?.id ?? 'unknown' } } };
 *   }
 * }
 */
export const OnInboundMessage = DiscoveryService.createDecorator<OnInboundMessageOptions | undefined>();
