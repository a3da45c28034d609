import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { EmulatorCredentials } from '../options.ts';

/** The request as received: what SigV4 covers. */
export interface SignedRequest {
  method: string;
  /** Path and query as on the wire, e.g. `/chat-integration-event`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export type AuthFailureName =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

/** `region` is the one of the credential scope: the region the client meant to call. */
export type AuthResult = { ok: true; accessKeyId: string; region: string } | { ok: false; error: AuthFailureName; message: string };

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const algorithm = 'AWS4-HMAC-SHA256';
const defaultSigningService = 'connect';
/** AWS refuses signatures more than 15 minutes away from its clock. */
const maxClockSkewMs = 15 * 60 * 1_000;
const unsignedPayload = 'UNSIGNED-PAYLOAD';

function fail(error: AuthFailureName, message: string): AuthResult {
  return { ok: false, error, message };
}

function parseAuthorization(header: string): ParsedAuthorization | string {
  if (!header.startsWith(`${algorithm} `)) return `Authorization header must use ${algorithm}.`;
  const fields = new Map<string, string>();
  for (const part of header.slice(algorithm.length + 1).split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    return "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
  }
  const scope = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !date || !region || !service || terminator !== 'aws4_request') {
    return "Credential must have the form '<access key id>/<yyyymmdd>/<region>/<service>/aws4_request'.";
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) return 'Signature must be 64 lowercase hexadecimal digits.';
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20240131T120000Z` → Date, or undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies SigV4 on incoming requests the way AWS does (for `connect` unless told another service): the header must be complete,
 * scoped to the service, dated within 15 minutes, and — for access keys the emulator was
 * given — carry the signature recomputed with `@smithy/signature-v4`. Without configured
 * credentials every access key is accepted and only the form of the header is checked.
 */
export class SigV4Verifier {
  private readonly signers = new Map<string, SignatureV4>();

  constructor(
    credentials: readonly EmulatorCredentials[],
    private readonly now: () => number = Date.now,
    /** The service signatures must be scoped to: `connect` (also the participant service's), `sms-voice` for End User Messaging. */
    private readonly signingService: string = defaultSigningService,
  ) {
    for (const { accessKeyId, secretAccessKey } of credentials) {
      this.signers.set(
        accessKeyId,
        new SignatureV4({
          credentials: { accessKeyId, secretAccessKey },
          region: 'us-east-1',
          service: this.signingService,
          sha256: Sha256,
          applyChecksum: false,
        }),
      );
    }
  }

  /** Whether signatures are actually checked (some credentials were configured). */
  get checksSignatures(): boolean {
    return this.signers.size > 0;
  }

  async verify(request: SignedRequest): Promise<AuthResult> {
    const authorization = headerValue(request.headers, 'authorization');
    if (!authorization) return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const parsed = parseAuthorization(authorization);
    if (typeof parsed === 'string') return fail('IncompleteSignatureException', parsed);
    if (parsed.service !== this.signingService) {
      return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${this.signingService}'.`);
    }
    if (!parsed.signedHeaders.includes('host')) {
      return fail('IncompleteSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    const amzDate = headerValue(request.headers, 'x-amz-date');
    const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
    if (!amzDate || !signingDate || !parsed.signedHeaders.includes('x-amz-date')) {
      return fail('IncompleteSignatureException', "Authorization header requires a signed, well-formed 'X-Amz-Date' header.");
    }
    if (parsed.date !== amzDate.slice(0, 8)) {
      return fail('InvalidSignatureException', `Credential should be scoped to a valid date: '${amzDate.slice(0, 8)}'.`);
    }
    if (Math.abs(this.now() - signingDate.getTime()) > maxClockSkewMs) {
      return fail('InvalidSignatureException', `Signature expired: ${amzDate} is more than 15 minutes away from the server's time.`);
    }
    const contentSha256 = headerValue(request.headers, 'x-amz-content-sha256');
    if (contentSha256 !== undefined && contentSha256 !== unsignedPayload) {
      const actual = createHash('sha256').update(request.body).digest('hex');
      // The header, not the body, enters the canonical request: a body swapped under a valid header must fail here.
      if (!constantTimeEqual(contentSha256, actual)) {
        return fail('InvalidSignatureException', 'The provided x-amz-content-sha256 header does not match what was computed.');
      }
    }
    if (!this.checksSignatures) return { ok: true, accessKeyId: parsed.accessKeyId, region: parsed.region };
    const signer = this.signers.get(parsed.accessKeyId);
    if (!signer) return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
    const expected = await this.expectedSignature(signer, request, parsed, signingDate);
    if (!constantTimeEqual(expected, parsed.signature)) {
      return fail(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
    return { ok: true, accessKeyId: parsed.accessKeyId, region: parsed.region };
  }

  private async expectedSignature(signer: SignatureV4, request: SignedRequest, parsed: ParsedAuthorization, signingDate: Date): Promise<string> {
    const url = new URL(request.url, 'http://emulator.invalid');
    const headers: Record<string, string> = {};
    for (const name of parsed.signedHeaders) {
      const value = headerValue(request.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? values[0]! : values;
    }
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: url.hostname,
        path: decodeURIComponent(url.pathname),
        query,
        headers,
        body: request.body,
      },
      { signingDate, signingRegion: parsed.region, signingService: this.signingService, signableHeaders: new Set(parsed.signedHeaders) },
    );
    const header = signed.headers['authorization'] ?? '';
    const signedHeadersPart = /SignedHeaders=([^,]+)/.exec(header)?.[1];
    // A header listed as signed but absent from the request changes the list: that is a mismatch too.
    if (signedHeadersPart !== parsed.signedHeaders.join(';')) return '';
    return /Signature=([0-9a-f]+)/.exec(header)?.[1] ?? '';
  }
}
