import { fromBase64 } from '../encoding.ts';

const pemCertificate = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/** Decodes standard base64 (whitespace allowed) without `Buffer`; throws on anything else. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(text.replace(/\s+/g, ''));
  if (bytes === undefined) throw new TypeError('not base64');
  return bytes;
}

/**
 * The DER SubjectPublicKeyInfo of the first certificate in a PEM document: what
 * `crypto.subtle.importKey('spki', …)` takes. Throws when the PEM holds no parsable X.509 certificate.
 */
export function spkiFromCertificatePem(pem: string): ArrayBuffer {
  const block = pemCertificate.exec(pem)?.[1];
  if (block === undefined) throw new Error('no PEM CERTIFICATE block');
  return spkiOf(decodeBase64(block));
}

// X.509 (RFC 5280, DER): Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { version [0] EXPLICIT
// OPTIONAL, serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo, … }, … }.
// Only the path to that one field is walked, every length checked against what holds it; the key's
// own validity is judged where it is imported (Web Crypto or node:crypto). A DER walker of a few
// lines instead of an ASN.1 library: that library was 40 % of a Worker's bundle for this one field.
const SEQUENCE = 0x30;
const VERSION = 0xa0;

/** The SubjectPublicKeyInfo element (tag, length and content) of a DER certificate. */
function spkiOf(der: Uint8Array): ArrayBuffer {
  const certificate = element(der, 0, der.length, SEQUENCE);
  if (certificate.end !== der.length) throw new Error('bytes after the certificate');
  const tbs = element(der, certificate.content, certificate.end, SEQUENCE);
  let at = tbs.content;
  if (der[at] === VERSION) at = element(der, at, tbs.end).end;
  // serialNumber, signature, issuer, validity, subject: skipped whole.
  for (let skipped = 0; skipped < 5; skipped++) at = element(der, at, tbs.end).end;
  const spki = element(der, at, tbs.end, SEQUENCE);
  return der.slice(at, spki.end).buffer;
}

/** The DER element at `at`, which must end by `limit`: where its content starts and where it ends. */
function element(der: Uint8Array, at: number, limit: number, tag?: number): { content: number; end: number } {
  if (at + 2 > limit) throw new Error('truncated certificate');
  if (tag !== undefined && der[at] !== tag) throw new Error(`expected DER tag 0x${tag.toString(16)} at byte ${at}`);
  let length = der[at + 1]!;
  let content = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    // Definite lengths only, at most 4 octets (a certificate is far smaller than 4 GiB).
    if (octets === 0 || octets > 4 || content + octets > limit) throw new Error('bad DER length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + der[content + i]!;
    content += octets;
  }
  const end = content + length;
  if (end > limit) throw new Error('truncated certificate');
  return { content, end };
}
