import { randomBytes } from 'node:crypto';
import { CappedMap } from '../capped-map.ts';

/** The customer of one participant chat, as its tokens name it. */
export interface ParticipantSession {
  contactId: string;
  participantId: string;
}

/** A ConnectionToken as issued. */
export interface IssuedConnection {
  connectionToken: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

/** Why a token is refused, as the participant service says it. */
export type TokenRefusal = 'missing' | 'unknown' | 'expired';

function opaqueToken(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * The tokens of the Connect Participant Service: one ParticipantToken per chat (from
 * StartChatContact), any number of ConnectionTokens per ParticipantToken, each working until its
 * expiry, so a client refreshes by asking for another. Bounded: the oldest tokens are forgotten.
 */
export class ParticipantSessions {
  private readonly byParticipantToken: CappedMap<string, ParticipantSession>;
  private readonly byConnectionToken: CappedMap<string, ParticipantSession & { expiresAt: number }>;

  constructor(
    maxChats: number,
    private ttlMs: number,
  ) {
    this.byParticipantToken = new CappedMap(maxChats);
    this.byConnectionToken = new CappedMap(Math.max(10_000, maxChats * 10));
  }

  /** The lifetime of ConnectionTokens issued from now on. */
  set connectionTokenTtlMs(ms: number) {
    this.ttlMs = ms;
  }

  /** The ParticipantToken of a new customer. */
  join(session: ParticipantSession): string {
    const participantToken = opaqueToken();
    this.byParticipantToken.set(participantToken, { ...session });
    return participantToken;
  }

  byParticipant(token: string | undefined): ParticipantSession | TokenRefusal {
    if (!token) return 'missing';
    return this.byParticipantToken.get(token) ?? 'unknown';
  }

  /** The session of a ConnectionToken still in its lifetime. */
  byConnection(token: string | undefined, now = Date.now()): ParticipantSession | TokenRefusal {
    if (!token) return 'missing';
    const connection = this.byConnectionToken.get(token);
    if (!connection) return 'unknown';
    if (now >= connection.expiresAt) return 'expired';
    return { contactId: connection.contactId, participantId: connection.participantId };
  }

  /** A new ConnectionToken for the session; earlier ones keep working until their own expiry. */
  connect(session: ParticipantSession, now = Date.now()): IssuedConnection {
    const connectionToken = opaqueToken();
    const expiresAt = now + this.ttlMs;
    this.byConnectionToken.set(connectionToken, { ...session, expiresAt });
    return { connectionToken, expiresAt };
  }

  clear(): void {
    this.byParticipantToken.clear();
    this.byConnectionToken.clear();
  }
}
