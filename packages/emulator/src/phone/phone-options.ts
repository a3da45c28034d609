import { invalidOption, isRecord } from '../invalid-option.ts';

/**
 * What the emulated channel APIs check. Without `twilio`, any Basic credentials are accepted;
 * without `whatsapp`, any bearer token. End User Messaging is checked with `credentials` (SigV4
 * scoped to `sms-voice`), the generic outbound webhook with `simulator.secrets.standardWebhookSecret`.
 *
 * @example
 * await startEmulator({ phone: { twilio: { accountSid: 'AC' + '0'.repeat(32), authToken: 'test-token' }, whatsapp: { accessToken: 'EAAG-test' } } });
 */
export interface PhoneOptions {
  /** The account whose Basic credentials (`accountSid:authToken`) the Messages API requires. */
  twilio?: { accountSid: string; authToken: string } | undefined;
  /** The access token the Cloud API requires as `Authorization: Bearer <token>`. */
  whatsapp?: { accessToken: string } | undefined;
}

function secret(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') {
    // Never echo a secret, not even a wrong one.
    invalidOption(path, 'a non-empty string', undefined, typeof value === 'string' ? 'an empty string' : typeof value);
  }
  return value;
}

/** Checks `phone` once, at construction. */
export function resolvePhoneOptions(value: unknown): PhoneOptions {
  if (value === undefined) return {};
  if (!isRecord(value)) invalidOption('phone', 'an object { twilio?, whatsapp? }', value);
  for (const member of Object.keys(value)) {
    if (member !== 'twilio' && member !== 'whatsapp') invalidOption(`phone.${member}`, 'one of twilio, whatsapp', member);
  }
  const resolved: PhoneOptions = {};
  const { twilio, whatsapp } = value;
  if (twilio !== undefined) {
    if (!isRecord(twilio)) invalidOption('phone.twilio', 'an object { accountSid, authToken }', twilio);
    const { accountSid } = twilio;
    if (typeof accountSid !== 'string' || !/^AC[0-9a-f]{32}$/.test(accountSid))
      invalidOption('phone.twilio.accountSid', 'AC followed by 32 hex digits', accountSid);
    resolved.twilio = { accountSid, authToken: secret(twilio['authToken'], 'phone.twilio.authToken') };
  }
  if (whatsapp !== undefined) {
    if (!isRecord(whatsapp)) invalidOption('phone.whatsapp', 'an object { accessToken }', whatsapp);
    resolved.whatsapp = { accessToken: secret(whatsapp['accessToken'], 'phone.whatsapp.accessToken') };
  }
  return resolved;
}
