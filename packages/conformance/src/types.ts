import type { ConnectChatOptions } from '@connect-chat/core';

/** The transports every target is checked over (`CONNECT_TRANSPORT`). */
export type ConformanceTransport = 'integration-event' | 'participant';

/** What carries SendChatIntegrationEvent (`CONNECT_CLIENT`): the integration-event transport is checked through each. */
export type ConformanceClient = 'aws-sdk' | 'fetch';

/** What the suite gives a target before its cases run: where Connect is and how to configure a bridge. */
export interface ConformanceSetup {
  /** The transport this run of the suite sends through (also in `env.CONNECT_TRANSPORT`). */
  transport: ConformanceTransport;
  /**
   * With the integration-event transport, the client this run sends through: `fetch` is also in
   * `env.CONNECT_CLIENT`; `aws-sdk` leaves the variable unset (its default). Absent for the participant transport.
   */
  client?: ConformanceClient;
  /** The Connect emulator the bridge must send to (also in `env.AWS_ENDPOINT_URL_CONNECT`). */
  emulatorUrl: string;
  /**
   * The configuration contract (ARCHITECTURE.md "Sample apps"): CONNECT_TRANSPORT, CONNECT_CLIENT, AWS_ENDPOINT_URL_CONNECT,
   * AWS_ENDPOINT_URL_CONNECTPARTICIPANT, AWS_REGION,
   * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, CONNECT_DESTINATION_ID, TWILIO_AUTH_TOKEN, WHATSAPP_APP_SECRET,
   * WHATSAPP_VERIFY_TOKEN, SNS_TOPIC_ARNS, STANDARD_WEBHOOK_SECRET, CONNECT_RATE_LIMIT ('off').
   */
  env: Record<string, string>;
  /**
   * The options an in-process adapter passes to createConnectChat (providers built from env; SNS with the test
   * certificate resolver/fetch; a sender aimed at the emulator with small retry budget).
   */
  connectChatOptions(): ConnectChatOptions;
  /**
   * For out-of-process runtimes (Bun, Deno, workerd): a local https-less server URL that serves the SNS test
   * certificate for any path and records SubscribeURL GETs. Install `createSnsRedirectFetch(url)` as the
   * bridge's `fetch` so SNS certificate and SubscribeURL requests reach it.
   */
  snsCertificateServerUrl: string;
}

/** A running bridge under test. */
export interface ConformanceTarget {
  /** Where the bridge listens, without a trailing slash; Twilio signatures are computed over `baseUrl + path`. */
  baseUrl: string;
  /** How to reach it; defaults to the global fetch (an in-process target may pass e.g. Hono's `app.request`). */
  fetch?: typeof fetch;
  close(): Promise<void>;
}
