import { ConnectChatError, type ConnectChatErrorOptions } from './connect-chat-error.ts';

/**
 * A webhook failed verification (code `SIGNATURE_INVALID`, answered 401). `reason` says why in
 * words safe to log; it never contains a secret.
 *
 * @example
 * throw new SignatureError('X-Twilio-Signature does not match any configured auth token');
 */
export class SignatureError extends ConnectChatError {
  constructor(message: string, options: ConnectChatErrorOptions = {}) {
    super('SIGNATURE_INVALID', message, options);
    this.name = 'SignatureError';
  }
}
