/** What `claim` found for a provider message id. */
export type ClaimResult =
  /** Nobody has this message: the caller now owns it and must `complete` or `release` it. */
  | 'claimed'
  /** Another delivery of it is being sent right now: answer 503 + Retry-After. */
  | 'in-flight'
  /** It was already sent: answer 2xx, send nothing. */
  | 'completed';

/**
 * Remembers which provider messages were sent, so a provider's retry of a sent message is not sent
 * twice while a retry of a failed one is. Keys are `<provider>:<message id>`. Implement it over a
 * shared store (Redis, DynamoDB) when several instances receive webhooks.
 */
export interface IdempotencyStore {
  claim(key: string): Promise<ClaimResult>;
  /** The message was sent: later claims answer `completed` (until the entry expires). */
  complete(key: string): Promise<void>;
  /** The send failed: forget the claim so the provider's retry is sent again. */
  release(key: string): Promise<void>;
}
