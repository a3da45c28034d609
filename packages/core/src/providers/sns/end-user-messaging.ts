/**
 * An AWS End User Messaging SMS (formerly Pinpoint) two-way message, as published to SNS in the
 * notification's `Message`.
 *
 * @example
 * const sms: EndUserMessagingInboundSms = JSON.parse(envelope.Message);
 * console.log(sms.originationNumber, sms.messageBody);
 */
export interface EndUserMessagingInboundSms {
  /** The customer, E.164. */
  originationNumber: string;
  /** Your number the customer wrote to, E.164. */
  destinationNumber: string;
  messageBody: string;
  /** The idempotency key. */
  inboundMessageId?: string;
  messageKeyword?: string;
  previousPublishedMessageId?: string;
  [field: string]: unknown;
}

/** The inbound SMS carried by an SNS notification's Message, or why it is not one. */
export function readEndUserMessagingSms(
  message: string,
): { sms: EndUserMessagingInboundSms; reason?: undefined } | { sms?: undefined; reason: string; raw: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { reason: 'sns notification Message is not JSON, so not an End User Messaging inbound SMS', raw: message };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { reason: 'sns notification Message is not a JSON object, so not an End User Messaging inbound SMS', raw: parsed };
  }
  const fields = parsed as Record<string, unknown>;
  const missing = ['originationNumber', 'destinationNumber', 'messageBody'].filter((name) => typeof fields[name] !== 'string');
  if (missing.length > 0) {
    return { reason: `sns notification Message is not an End User Messaging inbound SMS (no string ${missing.join(', ')})`, raw: parsed };
  }
  return { sms: fields as EndUserMessagingInboundSms };
}
