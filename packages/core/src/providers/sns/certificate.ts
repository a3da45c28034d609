import { fromBase64 } from '../encoding.ts';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

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
  const certificate = AsnConvert.parse(decodeBase64(block), Certificate);
  return AsnConvert.serialize(certificate.tbsCertificate.subjectPublicKeyInfo);
}
