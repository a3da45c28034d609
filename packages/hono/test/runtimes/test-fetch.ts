// The conformance package's index pulls in vitest; runtimes under test load only this Web-only module.
import { createSnsRedirectFetch } from '@connect-chat/conformance/sns-redirect-fetch';

/** Sends SNS certificate and SubscribeURL requests to the suite's local server, when one is given. */
export function testFetch(env: Readonly<Record<string, string | undefined>>): typeof fetch | undefined {
  const url = env.SNS_CERTIFICATE_SERVER_URL;
  return url ? createSnsRedirectFetch(url) : undefined;
}
