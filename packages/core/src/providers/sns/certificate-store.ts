import { SignatureError } from '../../errors/signature-error.ts';
import type { ProviderContext } from '../types.ts';
import { spkiFromCertificatePem } from './certificate.ts';
import { describeFailure, getWithTimeout, readTextWithin } from './outbound.ts';

export interface CertificateStoreOptions {
  /** Most certificates kept; the least recently used goes first. */
  capacity: number;
  ttlMs: number;
  fetchTimeoutMs: number;
  resolveCertificate?: ((url: URL) => Promise<string>) | undefined;
}

/** SNS signing certificates by URL, fetched once and shared by concurrent requests. */
export interface CertificateStore {
  /**
   * The SubjectPublicKeyInfo of the certificate at a (trusted) SigningCertURL. Throws
   * `SignatureError` when it cannot be fetched or parsed; failures are not cached.
   */
  spki(url: URL, context: ProviderContext): Promise<ArrayBuffer>;
}

// A real SNS certificate is under 2 KiB; anything far bigger is not one.
const maxCertificateBytes = 64 * 1024;

interface Entry {
  spki: Promise<ArrayBuffer>;
  expiresAt: number;
}

export function createCertificateStore(options: CertificateStoreOptions): CertificateStore {
  const entries = new Map<string, Entry>();

  async function load(url: URL, fetchImpl: typeof fetch): Promise<ArrayBuffer> {
    const pem = options.resolveCertificate
      ? await options.resolveCertificate(new URL(url.href))
      : await getWithTimeout(fetchImpl, url, { timeoutMs: options.fetchTimeoutMs }, async (response) => {
          if (!response.ok) {
            await response.body?.cancel();
            throw new Error(`HTTP ${response.status}`);
          }
          return readTextWithin(response, maxCertificateBytes);
        });
    if (typeof pem !== 'string') throw new Error('resolveCertificate did not return a PEM string');
    return spkiFromCertificatePem(pem);
  }

  return {
    spki(url, context) {
      const key = url.href;
      const now = Date.now();
      const cached = entries.get(key);
      entries.delete(key);
      if (cached && cached.expiresAt > now) {
        entries.set(key, cached); // most recently used goes last
        return cached.spki;
      }
      // The shared fetch does not take one request's signal: that request ending must not fail the others.
      const spki: Promise<ArrayBuffer> = load(url, context.fetch).catch((error: unknown) => {
        if (entries.get(key)?.spki === spki) entries.delete(key);
        throw new SignatureError(`SNS signing certificate ${key} could not be obtained: ${describeFailure(error)}`, { cause: error });
      });
      entries.set(key, { spki, expiresAt: now + options.ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= options.capacity) break;
        entries.delete(oldest);
      }
      return spki;
    },
  };
}
