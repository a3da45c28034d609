import { ConnectChatError } from '@connect-chat/core';
import { describe, invalidOption, isRecord } from '../invalid-option.ts';

/**
 * An HTTP(S) endpoint subscribed to an SNS topic: where the emulator, playing SNS, posts every item
 * Connect streams to that topic.
 *
 * @example
 * const subscription: StreamSubscription = { topicArn: 'arn:aws:sns:us-east-1:111122223333:connect-chat-outbound', endpoint: 'http://127.0.0.1:3000/webhooks/connect' };
 */
export interface StreamSubscription {
  topicArn: string;
  /** The http(s) URL SNS posts notifications to, e.g. the bridge's `/webhooks/connect`. */
  endpoint: string;
}

/** A subscription as kept: with the fetch that delivers to it. */
export interface ActiveSubscription extends StreamSubscription {
  fetch: typeof fetch;
}

/** `arn:aws:sns:<region>:<12 digits>:<name>`, the standard topics Connect streams to. */
const topicArnShape = /^arn:aws[a-z-]*:sns:[a-z]{2}(?:-[a-z]+)+-\d+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const maxSubscriptions = 1_000;

/** Checks a subscription from options, `subscribe` or `POST /_emulator/subscriptions`; throws INVALID_OPTIONS naming `path`. */
export function checkSubscription(value: unknown, path: string): StreamSubscription {
  if (!isRecord(value)) invalidOption(path, 'an object { topicArn, endpoint }', value);
  const { topicArn, endpoint } = value;
  if (typeof topicArn !== 'string' || !topicArnShape.test(topicArn)) {
    invalidOption(`${path}.topicArn`, 'an SNS topic ARN (arn:aws:sns:<region>:<12 digits>:<name>)', topicArn);
  }
  let url: URL | undefined;
  try {
    url = typeof endpoint === 'string' ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) invalidOption(`${path}.endpoint`, 'an http(s) URL', endpoint);
  return { topicArn, endpoint: url.href };
}

/**
 * SNS's far side: which endpoints each topic delivers to. Subscriptions are active at once (the
 * confirmation handshake is skipped); the same endpoint twice on a topic is one subscription.
 */
export class Subscriptions {
  private readonly entries: ActiveSubscription[] = [];

  /** Adds a subscription; returns the function that removes it. */
  add(subscription: StreamSubscription, deliver: typeof fetch = fetch): () => void {
    if (typeof deliver !== 'function') throw new ConnectChatError('INVALID_OPTIONS', `fetch: expected a function, got ${describe(deliver)}`);
    this.remove(subscription);
    if (this.entries.length >= maxSubscriptions) {
      throw new ConnectChatError('INVALID_OPTIONS', `subscriptions: at most ${maxSubscriptions} may be active at once`);
    }
    const entry: ActiveSubscription = { ...subscription, fetch: deliver };
    this.entries.push(entry);
    return () => {
      const index = this.entries.indexOf(entry);
      if (index >= 0) this.entries.splice(index, 1);
    };
  }

  /** The subscriptions of a topic, oldest first. */
  of(topicArn: string): ActiveSubscription[] {
    return this.entries.filter((entry) => entry.topicArn === topicArn);
  }

  /** Every subscription, oldest first, without its fetch. */
  list(): StreamSubscription[] {
    return this.entries.map(({ topicArn, endpoint }) => ({ topicArn, endpoint }));
  }

  private remove(subscription: StreamSubscription): void {
    const index = this.entries.findIndex((entry) => entry.topicArn === subscription.topicArn && entry.endpoint === subscription.endpoint);
    if (index >= 0) this.entries.splice(index, 1);
  }
}
