import { invalidOption, rejectUnknownKeys, expectRecord } from '../options/toolkit.ts';
import { chatIntegrationConstraints as c } from '../model/constraints.ts';
import type { RouteOptions } from './types.ts';

const routeKeys = ['destination', 'subtypes', 'session', 'media', 'longText', 'allowUnknownSubtype'];
const sessionKeys = ['displayName', 'attributes', 'streamingEndpointArn', 'supportedMessagingContentTypes'];
const channels = ['sms', 'whatsapp', 'custom'];
const mediaPolicies = ['append-links', 'drop', 'reject'];
const longTextPolicies = ['split', 'reject'];

/**
 * Checks route options once, at construction, and throws `INVALID_OPTIONS` naming the option and
 * what was expected; so a typo fails at startup instead of on the first customer message.
 *
 * @example
 * validateRouteOptions({ destination: { '+12125550101': phoneNumberArn }, longText: 'split' });
 */
export function validateRouteOptions(route: unknown, path = 'route'): asserts route is RouteOptions {
  expectRecord(route, path, 'an object with a destination');
  rejectUnknownKeys(route, routeKeys, `${path}.`);
  const allowUnknownSubtype = route['allowUnknownSubtype'];
  if (allowUnknownSubtype !== undefined && typeof allowUnknownSubtype !== 'boolean')
    invalidOption(`${path}.allowUnknownSubtype`, 'a boolean', allowUnknownSubtype);
  checkDestination(route['destination'], `${path}.destination`);
  checkSubtypes(route['subtypes'], allowUnknownSubtype === true, `${path}.subtypes`);
  if (route['session'] !== undefined) checkSession(route['session'], `${path}.session`);
  oneOf(route['media'], mediaPolicies, `${path}.media`);
  oneOf(route['longText'], longTextPolicies, `${path}.longText`);
}

function checkDestination(destination: unknown, path: string): void {
  const expected = 'a DestinationId string, a map from the number customers write to (E.164) to a DestinationId, or a function';
  if (typeof destination === 'function') return;
  if (typeof destination === 'string') {
    lengthWithin(destination, c.DestinationId, path);
    return;
  }
  expectRecord(destination, path, expected);
  const entries = Object.entries(destination);
  if (entries.length === 0) invalidOption(path, `${expected}; the map is empty`, destination);
  for (const [number, destinationId] of entries) {
    if (typeof destinationId !== 'string') invalidOption(`${path}[${JSON.stringify(number)}]`, 'a DestinationId string', destinationId);
    lengthWithin(destinationId, c.DestinationId, `${path}[${JSON.stringify(number)}]`);
  }
}

function checkSubtypes(subtypes: unknown, allowUnknown: boolean, path: string): void {
  if (subtypes === undefined) return;
  expectRecord(subtypes, path, 'an object keyed by channel (sms, whatsapp, custom)');
  rejectUnknownKeys(subtypes, channels, `${path}.`);
  for (const [channel, subtype] of Object.entries(subtypes)) {
    if (typeof subtype !== 'string') invalidOption(`${path}.${channel}`, 'a Subtype string such as connect:sms', subtype);
    lengthWithin(subtype, c.Subtype, `${path}.${channel}`);
    if (!allowUnknown && !(c.knownSubtypes as readonly string[]).includes(subtype)) {
      invalidOption(`${path}.${channel}`, `one of ${c.knownSubtypes.join(', ')} (or set allowUnknownSubtype)`, subtype);
    }
  }
}

function checkSession(session: unknown, path: string): void {
  expectRecord(session, path, 'an object');
  rejectUnknownKeys(session, sessionKeys, `${path}.`);
  const { displayName, attributes, streamingEndpointArn, supportedMessagingContentTypes } = session;
  if (displayName !== undefined && typeof displayName !== 'function') {
    if (typeof displayName !== 'string') invalidOption(`${path}.displayName`, 'a string or a function', displayName);
    lengthWithin(displayName, c.DisplayName, `${path}.displayName`);
  }
  if (attributes !== undefined && typeof attributes !== 'function') {
    expectRecord(attributes, `${path}.attributes`, 'an object of string values or a function');
    for (const [key, value] of Object.entries(attributes)) {
      if (!c.attributeKey.pattern.test(key)) invalidOption(`${path}.attributes`, 'keys of letters, digits, - and _', key);
      if (typeof value !== 'string') invalidOption(`${path}.attributes.${key}`, 'a string', value);
    }
  }
  if (streamingEndpointArn !== undefined) {
    if (typeof streamingEndpointArn !== 'string' || !c.StreamingEndpointArn.pattern.test(streamingEndpointArn)) {
      invalidOption(`${path}.streamingEndpointArn`, 'a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)', streamingEndpointArn);
    }
  }
  if (supportedMessagingContentTypes !== undefined) {
    const ok =
      Array.isArray(supportedMessagingContentTypes) &&
      supportedMessagingContentTypes.every((type) => typeof type === 'string' && type.length >= 1 && type.length <= c.SupportedMessagingContentType.max) &&
      supportedMessagingContentTypes.includes(c.requiredSupportedContentType);
    if (!ok)
      invalidOption(
        `${path}.supportedMessagingContentTypes`,
        `an array of content types that includes ${c.requiredSupportedContentType}`,
        supportedMessagingContentTypes,
      );
  }
}

function oneOf(value: unknown, allowed: readonly string[], path: string): void {
  if (value !== undefined && !allowed.includes(value as string)) invalidOption(path, allowed.map((a) => `'${a}'`).join(' or '), value);
}

function lengthWithin(value: string, limits: { min: number; max: number }, path: string): void {
  const length = Array.from(value).length;
  if (length < limits.min || length > limits.max) invalidOption(path, `a string of ${limits.min} to ${limits.max} characters`, value);
}
