import { isRecord } from '../invalid-option.ts';

/**
 * Collects what is wrong with an operation's JSON body, member by member, so one answer lists
 * every issue as the services do.
 */
export class RequestFields {
  readonly issues: string[] = [];

  constructor(readonly body: Record<string, unknown>) {}

  /** A string of `min..max` characters (code points); undefined (and an issue when required) otherwise. */
  string(name: string, options: { min?: number; max: number; required?: boolean }, value: unknown = this.body[name]): string | undefined {
    if (value === undefined) {
      if (options.required) this.issues.push(`${name}: is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.issues.push(`${name}: must be a string`);
      return undefined;
    }
    const length = [...value].length;
    const min = options.min ?? 0;
    if (length < min || length > options.max) {
      this.issues.push(`${name}: must be ${min}..${options.max} characters, got ${length}`);
      return undefined;
    }
    return value;
  }

  /** One of `allowed`. */
  oneOf<T extends string>(name: string, allowed: readonly T[], required: boolean, value: unknown = this.body[name]): T | undefined {
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.issues.push(`${name}: must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  /** A JSON object member; an issue when present but not an object (or absent but required). */
  record(name: string, required: boolean, value: unknown = this.body[name]): Record<string, unknown> | undefined {
    if (value === undefined) {
      if (required) this.issues.push(`${name}: is required`);
      return undefined;
    }
    if (!isRecord(value)) {
      this.issues.push(`${name}: must be an object`);
      return undefined;
    }
    return value;
  }

  /** Records an issue when `ok` is false. */
  check(ok: boolean, issue: string): void {
    if (!ok) this.issues.push(issue);
  }
}

/** The message content types the participant service and StartChatContact accept. */
export const messageContentTypes = [
  'text/plain',
  'text/markdown',
  'application/json',
  'application/vnd.amazonaws.connect.message.interactive.response',
] as const;

/** Reads `{ContentType, Content}` of a chat message: text up to 1,024 characters, the others up to 16,384. */
export function messageFields(fields: RequestFields, prefix: string, body: Record<string, unknown>): { contentType: string; content: string } | undefined {
  const contentType = fields.oneOf(`${prefix}ContentType`, messageContentTypes, true, body['ContentType']);
  const max = contentType === 'text/plain' || contentType === 'text/markdown' ? 1_024 : 16_384;
  const content = fields.string(`${prefix}Content`, { min: 1, max, required: true }, body['Content']);
  return contentType !== undefined && content !== undefined ? { contentType, content } : undefined;
}
