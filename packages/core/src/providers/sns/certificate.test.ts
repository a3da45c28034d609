import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSnsSigner } from '../../testing/sns-signer.ts';
import { decodeBase64, spkiFromCertificatePem } from './certificate.ts';

// The oracle: node:crypto's own X.509 parser, independent of the DER walk under test.
const spkiByNode = (pem: string) => new Uint8Array(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }));
const opensslPem = readFileSync(new URL('./fixtures/openssl-certificate.pem', import.meta.url), 'utf8');

/** A PEM around `der`, 64 characters a line. */
function pem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
}
const derOf = (text: string) => decodeBase64(/-----BEGIN CERTIFICATE-----([^-]+)-----END/.exec(text)![1]!);

describe('spkiFromCertificatePem', () => {
  it('takes the SubjectPublicKeyInfo of an openssl certificate (v3, extensions, long lengths) as node:crypto reads it', () => {
    expect(new Uint8Array(spkiFromCertificatePem(opensslPem))).toEqual(spkiByNode(opensslPem));
  });

  it.each(['1', '2'] as const)('takes it from the test SNS signer’s certificate (SignatureVersion %s)', async (signatureVersion) => {
    const { certificatePem } = await createSnsSigner({ signatureVersion });
    expect(new Uint8Array(spkiFromCertificatePem(certificatePem))).toEqual(spkiByNode(certificatePem));
  });

  it('reads the first certificate of a chain, whatever surrounds it', () => {
    const chain = `subject=…\n${opensslPem}\n${opensslPem}`;
    expect(new Uint8Array(spkiFromCertificatePem(chain))).toEqual(spkiByNode(opensslPem));
  });

  it('refuses what is not a whole DER certificate, without reading past its bytes', () => {
    const der = derOf(opensslPem);
    const cases: Array<[string, Uint8Array]> = [
      ['truncated', der.slice(0, der.length - 10)],
      ['cut inside the header', der.slice(0, 3)],
      ['not a SEQUENCE', Uint8Array.of(0x31, ...der.slice(1))],
      ['bytes after the certificate', Uint8Array.of(...der, 0x00)],
      ['indefinite length', Uint8Array.of(0x30, 0x80, ...der.slice(4))],
      ['a length of more than 4 octets', Uint8Array.of(0x30, 0x85, 0, 0, 0, 1, 0)],
      ['a length beyond the certificate', Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00)],
      ['a TBS without a key', Uint8Array.of(0x30, 0x04, 0x30, 0x02, 0x02, 0x00)],
    ];
    for (const [what, bytes] of cases) expect(() => spkiFromCertificatePem(pem(bytes)), what).toThrow();
    expect(() => spkiFromCertificatePem('no PEM here')).toThrow('no PEM CERTIFICATE block');
  });
});
