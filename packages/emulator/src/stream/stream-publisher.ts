import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@connect-chat/core';
import type { SnsSigner } from '@connect-chat/core/testing';
import { CappedMap } from '../capped-map.ts';
import type { ActiveSubscription, Subscriptions } from './subscriptions.ts';
import type { StreamedItem } from './streamed-item.ts';

/**
 * One notification SNS delivered (or gave up delivering) to one subscribed endpoint.
 *
 * @example
 * const { deliveries } = await emulator.reply(contactId, { text: 'Hi' });
 * expect(deliveries).toEqual([{ endpoint: 'http://127.0.0.1:3000/webhooks/connect', status: 200, attempts: 1, messageId: expect.any(String) }]);
 */
export interface StreamDelivery {
  endpoint: string;
  /** The status of the last attempt; 0 when the endpoint never answered it. */
  status: number;
  /** 1 when the first attempt succeeded; at most 4 (SNS retries a failed delivery 3 more times). */
  attempts: number;
  /** The SNS `MessageId` of the notification. */
  messageId: string;
}

/** Pauses between a failed attempt and the next: SNS's immediate-retry phase, shortened. */
export const retryDelaysMs: readonly number[] = [50, 100, 200];
const deliveryTimeoutMs = 15_000;
const maxRememberedItems = 10_000;

/** What a published item was, to publish it again. */
interface Published {
  topicArn: string;
  item: StreamedItem;
}

/**
 * Plays SNS for Connect's chat streaming: signs a Notification per subscription of the chat's
 * topic and posts it with SNS's headers, retrying a failed delivery. Every publish is tracked until
 * it has settled.
 */
export class StreamPublisher {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly published = new CappedMap<string, Published>(maxRememberedItems);
  /** The last publication of each topic: the next one starts after it, so subscribers see a chat in order. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly subscriptions: Subscriptions,
    private readonly signer: () => Promise<SnsSigner>,
    private readonly logger: Logger,
    private readonly shutdown: AbortSignal,
  ) {}

  /** Publishes an item to `topicArn` (none: nothing is published) and resolves with every delivery. */
  publish(topicArn: string | undefined, item: StreamedItem): Promise<StreamDelivery[]> {
    if (topicArn === undefined) return Promise.resolve([]);
    this.published.set(item.message.Id, { topicArn, item });
    return this.track(this.inOrder(topicArn, () => this.deliverAll(topicArn, item)));
  }

  /**
   * Publishes an already published item again, same `Id`, new SNS `MessageId`: what a duplicate
   * publication by SNS looks like. Undefined when the item was never published (or forgotten).
   */
  republish(itemId: string): Promise<StreamDelivery[]> | undefined {
    const published = this.published.get(itemId);
    return published && this.track(this.inOrder(published.topicArn, () => this.deliverAll(published.topicArn, published.item)));
  }

  /** Resolves once every publish in flight, including ones started while waiting, has settled. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.published.clear();
  }

  /**
   * Runs `work` after the topic's previous publication settled. SNS standard topics promise no
   * order, but Connect publishes a chat's items in order and subscribers usually see them so;
   * publishing one at a time per topic makes the emulator's stream deterministic.
   */
  private inOrder<T>(topicArn: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(topicArn) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(topicArn, tail);
    void tail.then(() => {
      if (this.tails.get(topicArn) === tail) this.tails.delete(topicArn);
    });
    return next;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const done = (): void => {
      this.inFlight.delete(work);
    };
    work.then(done, done);
    return work;
  }

  private async deliverAll(topicArn: string, item: StreamedItem): Promise<StreamDelivery[]> {
    const targets = this.subscriptions.of(topicArn);
    if (targets.length === 0) return [];
    const signer = await this.signer();
    // One MessageId per publication, as SNS gives every subscriber the same notification.
    const envelope = await signer.notification({ topicArn, message: item.message, messageAttributes: item.messageAttributes });
    return Promise.all(targets.map((target) => this.deliver(signer, envelope, target)));
  }

  private async deliver(signer: SnsSigner, envelope: Awaited<ReturnType<SnsSigner['notification']>>, target: ActiveSubscription): Promise<StreamDelivery> {
    let status = 0;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      status = await this.attempt(signer.request(envelope, { url: target.endpoint }), target);
      if (status >= 200 && status < 300) break;
      const pause = retryDelaysMs[attempts - 1];
      if (pause === undefined || this.shutdown.aborted) break;
      try {
        await delay(pause, undefined, { signal: this.shutdown });
      } catch {
        break; // the emulator is closing: give up like SNS on a deleted subscription
      }
    }
    const delivery = { endpoint: target.endpoint, status, attempts, messageId: envelope.MessageId };
    const level = status >= 200 && status < 300 ? 'debug' : 'warn';
    this.logger[level]('emulator: stream notification delivered', { ...delivery, topicArn: envelope.TopicArn });
    return delivery;
  }

  /** One POST; the status, or 0 when nothing answered. The body is read so the connection is reused. */
  private async attempt(request: Request, target: ActiveSubscription): Promise<number> {
    try {
      const signal = AbortSignal.any([this.shutdown, AbortSignal.timeout(deliveryTimeoutMs)]);
      const response = await target.fetch(new Request(request, { redirect: 'manual', signal }));
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return 0;
    }
  }
}
