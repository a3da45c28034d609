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
 * shared store (Redis, DynamoDB) when several instances receive webhooks: `claim` is a conditional
 * write of `owner` (e.g. `SET key owner NX PX ttl`), `release` a compare-and-delete on `owner`.
 *
 * @example
 * const owner = crypto.randomUUID();
 * if ((await store.claim('twilio:SM123', owner)) === 'claimed') {
 *   try { await send(); await store.complete('twilio:SM123'); } catch (e) { await store.release('twilio:SM123', owner); throw e; }
 * }
 */
export interface IdempotencyStore {
  /** Claims `key` for `owner`, unique per delivery attempt, when nobody holds it. */
  claim(key: string, owner: string): Promise<ClaimResult>;
  /** The message was sent: later claims answer `completed` (until the entry expires), whoever claimed it. */
  complete(key: string): Promise<void>;
  /**
   * The send failed: forget the claim so the provider's retry is sent again — but only while
   * `owner` still holds it. A send that outlived its claim must not free a newer delivery's claim.
   */
  release(key: string, owner: string): Promise<void>;
}
