const snsHost = /^sns\.[a-zA-Z0-9-]{3,}\.amazonaws\.com(\.cn)?$/;

/**
 * A `fetch` that sends requests for SNS hosts (certificates, SubscribeURL) to the suite's local
 * certificate server and everything else (the Connect emulator) to `base`. Web APIs only, so a
 * Bun, Deno or workerd bridge under test can bundle it.
 *
 * @example
 * const fetch = createSnsRedirectFetch(setup.snsCertificateServerUrl);
 * createConnectChat({ ...options, fetch });
 */
export function createSnsRedirectFetch(serverUrl: string, base: typeof fetch = globalThis.fetch): typeof fetch {
  const server = new URL(serverUrl);
  return (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!snsHost.test(url.hostname)) return base(request);
    return base(new Request(new URL(`${url.pathname}${url.search}`, server), request));
  };
}
