import { ConnectChatError } from '../../errors/connect-chat-error.ts';
import { SignatureError } from '../../errors/signature-error.ts';
import type { ProviderContext } from '../types.ts';
import { spkiFromCertificatePem } from './certificate.ts';
import { describeFailure, getWithTimeout, readTextWithin } from './outbound.ts';

export interface CertificateStoreOptions {
  /** Most certificates kept; the least recently used goes first. */
  capacity: number;
  ttlMs: number;
  fetchTimeoutMs: number;
  /** How long a failed fetch is remembered; capped per request by its `Retry-After`. */
  failureTtlMs: number;
  /** Fetches in flight at once; past it a request fails at once (transient). */
  maxConcurrentFetches: number;
  resolveCertificate?: ((url: URL) => Promise<string>) | undefined;
}

/** SNS signing certificates by URL, fetched once and shared by concurrent requests. */
export interface CertificateStore {
  /**
   * The SubjectPublicKeyInfo of the certificate at a (trusted) SigningCertURL. Throws
   * `VERIFICATION_UNAVAILABLE` (503: SNS retries) when it cannot be fetched now — a network error,
   * a timeout, a non-2xx or redirect answer, too many fetches at once — remembering the failure
   * briefly; throws `SignatureError` (401) when what was fetched is not a certificate.
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
  let fetching = 0;

  async function load(url: URL, fetchImpl: typeof fetch): Promise<ArrayBuffer> {
    let pem: unknown;
    if (options.resolveCertificate) {
      // Pinned certificates: one the resolver does not know is untrusted (401), not unavailable.
      pem = await options.resolveCertificate(new URL(url.href)).catch((error: unknown) => {
        throw new SignatureError(`SNS signing certificate ${url.href} is not one resolveCertificate knows: ${describeFailure(error)}`, { cause: error });
      });
    } else {
      pem = await fetchCounted(url, fetchImpl);
    }
    return parseCertificate(url, pem);
  }

  async function fetchCounted(url: URL, fetchImpl: typeof fetch): Promise<string> {
    fetching++;
    try {
      return await fetchPem(url, fetchImpl, options.fetchTimeoutMs);
    } catch (error) {
      throw unavailable(url, describeFailure(error), error);
    } finally {
      fetching--;
    }
  }

  function remember(key: string, spki: Promise<ArrayBuffer>, ttlMs: number): void {
    entries.set(key, { spki, expiresAt: Date.now() + ttlMs });
    for (const oldest of entries.keys()) {
      if (entries.size <= options.capacity) break;
      entries.delete(oldest);
    }
  }

  return {
    spki(url, context) {
      const key = url.href;
      const cached = entries.get(key);
      entries.delete(key);
      if (cached && cached.expiresAt > Date.now()) {
        entries.set(key, cached); // most recently used goes last
        return cached.spki;
      }
      if (fetching >= options.maxConcurrentFetches) {
        return Promise.reject(unavailable(url, `${fetching} certificate fetches are already in flight`));
      }
      // The shared fetch does not take one request's signal: that request ending must not fail the others.
      const spki = load(url, context.fetch);
      spki.catch((error: unknown) => {
        if (entries.get(key)?.spki !== spki) return;
        if (!ConnectChatError.is(error) || error.code !== 'VERIFICATION_UNAVAILABLE') {
          entries.delete(key);
          return;
        }
        // Remembered briefly so a burst of deliveries costs one fetch, and never past the Retry-After
        // answered with it: SNS's retry then fetches again.
        const retryAfterMs = (context.retryAfterSeconds ?? Number.POSITIVE_INFINITY) * 1000;
        remember(key, spki, Math.min(options.failureTtlMs, retryAfterMs));
      });
      remember(key, spki, options.ttlMs);
      return spki;
    },
  };
}

function unavailable(url: URL, why: string, cause?: unknown): ConnectChatError {
  return new ConnectChatError('VERIFICATION_UNAVAILABLE', `SNS signing certificate ${url.href} could not be obtained now (${why}); retry later`, { cause });
}

/** GETs a (trusted) certificate URL within the timeout, never following a redirect. */
function fetchPem(url: URL, fetchImpl: typeof fetch, timeoutMs: number): Promise<string> {
  return getWithTimeout(fetchImpl, url, { timeoutMs }, async (response) => {
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    return readTextWithin(response, maxCertificateBytes);
  });
}

/** What was fetched must be a certificate with a usable key: else the delivery is untrusted (401). */
function parseCertificate(url: URL, pem: unknown): ArrayBuffer {
  try {
    if (typeof pem !== 'string') throw new Error('resolveCertificate did not return a PEM string');
    return spkiFromCertificatePem(pem);
  } catch (error) {
    throw new SignatureError(`SNS signing certificate ${url.href} is not a usable certificate: ${describeFailure(error)}`, { cause: error });
  }
}
