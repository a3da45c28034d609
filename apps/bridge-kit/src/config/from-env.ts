import {
  ConnectChatError,
  type ConnectChatOptions,
  createSnsProvider,
  createStandardWebhooksProvider,
  createTwilioProvider,
  createWhatsAppProvider,
  type createConnectTransport,
  type createEndUserMessagingDeliverer,
  createFetchTransport,
  createGenericDeliverer,
  type createParticipantTransport,
  createTwilioDeliverer,
  createWhatsAppDeliverer,
  type Deliverer,
  type DestinationOption,
  parseContactFlowArn,
  parseRateLimit,
  type Provider,
  type ChatTransport,
  type SenderOptions,
  type SessionStore,
  type SnsProviderOptions,
} from '@connect-chat/core';

/** The environment a bridge reads: `process.env` on Node, `c.env` on Workers. */
export type BridgeEnv = Readonly<Record<string, unknown>>;

/** A provider route left off because its secret is unset. */
export interface DisabledProvider {
  provider: string;
  reason: string;
}

/** What {@link connectChatOptionsFromEnv} made of the environment. */
export interface BridgeConfig {
  /** Ready for `createConnectChat`, with only the providers whose secrets are set. */
  options: ConnectChatOptions & { sender: SenderOptions };
  /** Names of the enabled providers, in route order. */
  enabled: string[];
  disabled: DisabledProvider[];
  /**
   * True only when `CONNECT_EMULATOR=embedded`: a Node app then starts the embedded emulator
   * instead of calling Amazon Connect. Never inferred from missing credentials.
   */
  needsEmulator: boolean;
  /** `PORT` / `HOST`, defaults 3000 / 127.0.0.1; `EMULATOR_PORT` (default 4050) for the embedded emulator. */
  listen: { port: number; host: string; emulatorPort: number };
  /**
   * Where the sender sends, for the start-up log: the transport (`CONNECT_TRANSPORT`), the client
   * SendChatIntegrationEvent goes through (`CONNECT_CLIENT`; the participant transport has none to
   * choose: it always uses the AWS SDK) and the endpoints.
   */
  connect: { transport: ConnectTransportName; client?: ConnectClientName; region: string; endpoint?: string; participantEndpoint?: string };
}

/** `CONNECT_TRANSPORT`: SendChatIntegrationEvent, or StartChatContact + the participant service. */
export type ConnectTransportName = 'integration-event' | 'participant';

/** `CONNECT_CLIENT`: SendChatIntegrationEvent through the AWS SDK, or through fetch signed with SigV4 (no SDK). */
export type ConnectClientName = 'aws-sdk' | 'fetch';

/**
 * What only the AWS SDK can do in a bridge: the SDK transport, the participant transport and the
 * End User Messaging deliverer. Passed in, never imported here, so an entry that leaves them out
 * (the Workers entry) bundles no AWS SDK.
 */
export interface AwsSdkPieces {
  createConnectTransport: typeof createConnectTransport;
  createParticipantTransport: typeof createParticipantTransport;
  createEndUserMessagingDeliverer: typeof createEndUserMessagingDeliverer;
}

type Credentials = NonNullable<SenderOptions['credentials']>;

/**
 * What environment variables cannot express, for {@link connectChatOptionsFromEnv}.
 *
 * @example
 * const emulator = await startEmulator({ port: 0 }); // the embedded Connect emulator, local development only
 * const config = connectChatOptionsFromEnv(process.env, { sns: { resolveCertificate: emulator.snsCertificateResolver } });
 */
export interface FromEnvOptions {
  /** Extra SNS options (e.g. `resolveCertificate` trusting the embedded emulator's simulator). */
  sns?: Omit<Partial<SnsProviderOptions>, 'topicArns'>;
  /** Extra reply options (e.g. `resolveCertificate` trusting the embedded emulator's stream). */
  replies?: { resolveCertificate?: (url: URL) => Promise<string> };
  /** A shared session store (Redis) for the transport and the reply route; default in memory. */
  sessions?: SessionStore;
  /** AWS credentials resolved by the caller (the SDK's default chain); they replace `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`. */
  credentials?: Credentials;
}

/**
 * Reads the sample bridges' configuration contract (`CONNECT_DESTINATION_ID`, `TWILIO_AUTH_TOKEN`,
 * `SNS_TOPIC_ARNS`, …) and returns options for `createConnectChat`. Contradictory or malformed
 * configuration throws `INVALID_OPTIONS` naming the variable; a provider whose secret is unset is
 * disabled and listed in `disabled`. `sdk` undefined: only what needs no AWS SDK is available
 * (`CONNECT_CLIENT=fetch`, its default then).
 */
export function readBridgeConfig(env: BridgeEnv, options: FromEnvOptions, sdk: AwsSdkPieces | undefined): BridgeConfig {
  const read = (name: string): string | undefined => {
    const value = env[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw invalid(name, `expected a string, got ${typeof value}`);
    return value.trim() === '' ? undefined : value.trim();
  };

  const providers: Provider[] = [];
  const disabled: DisabledProvider[] = [];
  const publicUrl = readPublicUrl(read('PUBLIC_URL'));

  const topicArns = read('SNS_TOPIC_ARNS');
  if (topicArns) {
    providers.push(withVariable('SNS_TOPIC_ARNS', () => createSnsProvider({ ...options.sns, topicArns: splitList(topicArns) })));
  } else disabled.push({ provider: 'sns', reason: 'SNS_TOPIC_ARNS is not set' });

  const twilioToken = read('TWILIO_AUTH_TOKEN');
  if (twilioToken) {
    if (/\s/.test(twilioToken)) throw invalid('TWILIO_AUTH_TOKEN', 'expected a Twilio auth token without whitespace');
    providers.push(withVariable('TWILIO_AUTH_TOKEN', () => createTwilioProvider({ authToken: splitList(twilioToken), ...(publicUrl ? { publicUrl } : {}) })));
  } else disabled.push({ provider: 'twilio', reason: 'TWILIO_AUTH_TOKEN is not set' });

  const appSecret = read('WHATSAPP_APP_SECRET');
  const verifyToken = read('WHATSAPP_VERIFY_TOKEN');
  if (appSecret && verifyToken) {
    providers.push(withVariable('WHATSAPP_APP_SECRET', () => createWhatsAppProvider({ appSecret: splitList(appSecret), verifyToken })));
  } else if (appSecret || verifyToken) {
    const missing = appSecret ? 'WHATSAPP_VERIFY_TOKEN' : 'WHATSAPP_APP_SECRET';
    throw invalid(
      missing,
      'must be set together with the other WHATSAPP_ variable (the app secret signs events, the verify token answers the subscription check)',
    );
  } else disabled.push({ provider: 'whatsapp', reason: 'WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN are not set' });

  const standardSecret = read('STANDARD_WEBHOOK_SECRET');
  if (standardSecret) {
    providers.push(withVariable('STANDARD_WEBHOOK_SECRET', () => createStandardWebhooksProvider({ secret: splitList(standardSecret) })));
  } else disabled.push({ provider: 'generic', reason: 'STANDARD_WEBHOOK_SECRET is not set' });

  const connect = readConnect(read, sdk !== undefined);
  const credentials = options.credentials ?? readKeys(read);
  const rateLimit = read('CONNECT_RATE_LIMIT');
  const sender: SenderOptions = {
    transport: createTransport(connect, credentials, options.sessions, sdk),
    ...(rateLimit ? { rateLimit: withVariable('CONNECT_RATE_LIMIT', () => parseRateLimit(rateLimit)) } : {}),
  };
  const { transport, region } = connect;

  const replies = readReplies(read, { region, credentials, twilioToken, standardSecret, sdk }, disabled);
  if (replies && options.replies?.resolveCertificate) replies.resolveCertificate = options.replies.resolveCertificate;
  const route: ConnectChatOptions['route'] = { destination: readDestination(read, transport) };
  if (replies) route.session = { streamingEndpointArn: replies.topicArns[0]! };

  return {
    options: { providers, sender, route, ...(replies ? { replies } : {}) },
    enabled: providers.map((provider) => provider.name),
    disabled,
    needsEmulator: readEmulatorChoice(read('CONNECT_EMULATOR')),
    listen: {
      port: readPort('PORT', read('PORT'), 3000),
      host: read('HOST') ?? '127.0.0.1',
      emulatorPort: readPort('EMULATOR_PORT', read('EMULATOR_PORT'), 4050),
    },
    connect,
  };
}

/** Where a Workers entry sends those who need what it leaves out. */
const withoutSdk = 'this build leaves the AWS SDK out (the Workers entry); run a Node bridge for it';

function readConnect(read: (name: string) => string | undefined, hasSdk: boolean): BridgeConfig['connect'] {
  const transport = read('CONNECT_TRANSPORT') ?? 'integration-event';
  if (transport !== 'integration-event' && transport !== 'participant') {
    throw invalid(
      'CONNECT_TRANSPORT',
      `expected "integration-event" (SendChatIntegrationEvent) or "participant" (StartChatContact + the participant service), got "${transport.slice(0, 40)}"`,
    );
  }
  if (transport === 'participant' && !hasSdk) throw invalid('CONNECT_TRANSPORT', `"participant" calls Connect through the AWS SDK, and ${withoutSdk}`);
  const client = read('CONNECT_CLIENT');
  if (client !== undefined && client !== 'aws-sdk' && client !== 'fetch') {
    throw invalid('CONNECT_CLIENT', `expected "aws-sdk" (the AWS SDK) or "fetch" (fetch signed with SigV4, no SDK), got "${client.slice(0, 40)}"`);
  }
  if (client !== undefined && transport === 'participant') {
    throw invalid('CONNECT_CLIENT', 'applies only to CONNECT_TRANSPORT=integration-event (the participant transport always uses the AWS SDK); unset it');
  }
  if (client === 'aws-sdk' && !hasSdk) throw invalid('CONNECT_CLIENT', `"aws-sdk": ${withoutSdk}, or set "fetch"`);
  const connect: BridgeConfig['connect'] = { transport, region: read('AWS_REGION') ?? read('AWS_DEFAULT_REGION') ?? 'us-east-1' };
  if (transport === 'integration-event') connect.client = client ?? (hasSdk ? 'aws-sdk' : 'fetch');
  for (const [key, variable] of [
    ['endpoint', 'AWS_ENDPOINT_URL_CONNECT'],
    ['participantEndpoint', 'AWS_ENDPOINT_URL_CONNECTPARTICIPANT'],
  ] as const) {
    const value = read(variable);
    if (value === undefined) continue;
    if (!isHttpUrl(value)) throw invalid(variable, `expected an http(s) URL, got "${value}"`);
    connect[key] = value;
  }
  return connect;
}

/** The transport `CONNECT_TRANSPORT` and `CONNECT_CLIENT` chose, named explicitly so it is the same on every runtime. */
function createTransport(
  connect: BridgeConfig['connect'],
  credentials: Credentials | undefined,
  sessions: SessionStore | undefined,
  sdk: AwsSdkPieces | undefined,
): ChatTransport {
  const { region, endpoint, participantEndpoint } = connect;
  const shared = { region, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}), ...(sessions ? { sessions } : {}) };
  if (connect.client === 'fetch') return createFetchTransport(shared);
  // readConnect let nothing else through without the SDK.
  if (sdk === undefined) throw new ConnectChatError('INTERNAL', `CONNECT_TRANSPORT/CONNECT_CLIENT: ${withoutSdk}`);
  if (connect.transport === 'participant') return sdk.createParticipantTransport({ ...shared, ...(participantEndpoint ? { participantEndpoint } : {}) });
  return sdk.createConnectTransport(shared);
}

/**
 * The return path: `CONNECT_STREAMING_TOPIC_ARN` turns it on (chats are streamed to the topic, and
 * `/webhooks/connect` receives it); each channel's deliverer is on when its credentials are set.
 */
function readReplies(
  read: (name: string) => string | undefined,
  aws: {
    region: string;
    credentials: Credentials | undefined;
    twilioToken: string | undefined;
    standardSecret: string | undefined;
    sdk: AwsSdkPieces | undefined;
  },
  disabled: DisabledProvider[],
): ConnectChatOptions['replies'] {
  const topic = read('CONNECT_STREAMING_TOPIC_ARN');
  if (topic === undefined) {
    disabled.push({ provider: 'connect', reason: 'CONNECT_STREAMING_TOPIC_ARN is not set (agent replies do not reach customers)' });
    return undefined;
  }
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topic)) {
    throw invalid('CONNECT_STREAMING_TOPIC_ARN', `expected a standard SNS topic ARN arn:aws:sns:<region>:<account>:<name>, got "${topic.slice(0, 200)}"`);
  }
  const deliverers: Deliverer[] = [];
  const accountSid = read('TWILIO_ACCOUNT_SID');
  // A channel whose inbound route is off (its secret unset) has no customers to reply to.
  if (accountSid && aws.twilioToken) {
    const apiUrl = readUrl(read, 'TWILIO_API_URL');
    deliverers.push(createTwilioDeliverer({ accountSid, authToken: splitList(aws.twilioToken)[0]!, ...(apiUrl ? { apiUrl } : {}) }));
  }
  const accessToken = read('WHATSAPP_ACCESS_TOKEN');
  if (accessToken) {
    const apiUrl = readUrl(read, 'WHATSAPP_API_URL');
    deliverers.push(createWhatsAppDeliverer({ accessToken, ...(apiUrl ? { apiUrl } : {}) }));
  }
  const sms = read('SMS_OUTBOUND');
  if (sms !== undefined && sms !== 'end-user-messaging') throw invalid('SMS_OUTBOUND', `expected "end-user-messaging" or unset, got "${sms.slice(0, 40)}"`);
  if (sms) {
    if (aws.sdk === undefined) throw invalid('SMS_OUTBOUND', `"end-user-messaging" sends through the AWS SDK, and ${withoutSdk}`);
    const endpoint = readUrl(read, 'AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2');
    deliverers.push(
      aws.sdk.createEndUserMessagingDeliverer({
        region: aws.region,
        ...(aws.credentials ? { credentials: aws.credentials } : {}),
        ...(endpoint ? { endpoint } : {}),
      }),
    );
  }
  const genericUrl = readUrl(read, 'GENERIC_OUTBOUND_URL');
  if (genericUrl && aws.standardSecret) {
    deliverers.push(createGenericDeliverer({ url: genericUrl, secret: splitList(aws.standardSecret)[0]! }));
  }
  return { topicArns: [topic], deliverers };
}

function readUrl(read: (name: string) => string | undefined, name: string): string | undefined {
  const value = read(name);
  if (value !== undefined && !isHttpUrl(value)) throw invalid(name, `expected an http(s) URL, got "${value.slice(0, 200)}"`);
  return value;
}

function readKeys(read: (name: string) => string | undefined): Credentials | undefined {
  const accessKeyId = read('AWS_ACCESS_KEY_ID');
  const secretAccessKey = read('AWS_SECRET_ACCESS_KEY');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw invalid(accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  }
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = read('AWS_SESSION_TOKEN');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function readDestination(read: (name: string) => string | undefined, transport: ConnectTransportName): DestinationOption {
  const fallback = read('CONNECT_DESTINATION_ID');
  const mapText = read('CONNECT_DESTINATIONS');
  if (fallback) checkDestination('CONNECT_DESTINATION_ID', fallback, transport);
  if (!mapText) {
    if (!fallback) {
      throw invalid('CONNECT_DESTINATION_ID', 'set it (the DestinationId for every message) or CONNECT_DESTINATIONS (a JSON map from number to DestinationId)');
    }
    return fallback;
  }
  const map = withVariable('CONNECT_DESTINATIONS', () => JSON.parse(mapText) as unknown);
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw invalid('CONNECT_DESTINATIONS', 'expected a JSON object like {"+12065550100":"arn:aws:sms-voice:…"}');
  }
  for (const [number, destination] of Object.entries(map)) {
    if (typeof destination !== 'string' || destination === '') {
      throw invalid('CONNECT_DESTINATIONS', `expected a non-empty DestinationId string for "${number}"`);
    }
    checkDestination('CONNECT_DESTINATIONS', destination, transport, number);
  }
  const destinations = map as Record<string, string>;
  if (!fallback) return destinations;
  // Own keys only: a number such as "constructor" must not find Object.prototype's members.
  const lookup = (key: string): string | undefined => (Object.hasOwn(destinations, key) ? destinations[key] : undefined);
  return (message) => lookup(message.to) ?? message.toAliases?.map(lookup).find(Boolean) ?? fallback;
}

/** The participant transport starts chats with a contact flow, so its DestinationId is the flow's ARN; the integration event's never is. */
function checkDestination(variable: string, destination: string, transport: ConnectTransportName, number?: string): void {
  const isFlow = parseContactFlowArn(destination) !== undefined;
  const where = number === undefined ? '' : ` for "${number.slice(0, 40)}"`;
  if (transport === 'participant' && !isFlow) {
    throw invalid(
      variable,
      `with CONNECT_TRANSPORT=participant expected a contact flow ARN arn:aws:connect:<region>:<account>:instance/<instance-id>/contact-flow/<flow-id>${where}, got "${destination.slice(0, 200)}"`,
    );
  }
  if (transport === 'integration-event' && isFlow) {
    throw invalid(
      variable,
      `a contact flow ARN${where} is the participant transport's DestinationId: set CONNECT_TRANSPORT=participant, or use the End User Messaging number ARN`,
    );
  }
}

function readPublicUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!isHttpUrl(value)) throw invalid('PUBLIC_URL', `expected the public base URL like https://bridge.example.com, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function readPort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw invalid(name, `expected a port number 0..65535 (0 picks a free one), got "${value.slice(0, 40)}"`);
  return port;
}

/** `CONNECT_EMULATOR`: `embedded` or unset; an emulator is never chosen by accident. */
function readEmulatorChoice(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value === 'embedded') return true;
  throw invalid('CONNECT_EMULATOR', `expected "embedded" (the local demo) or unset (Amazon Connect), got "${value.slice(0, 40)}"`);
}

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function withVariable<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConnectChatError('INVALID_OPTIONS', `${name}: ${detail}`, { cause: error });
  }
}

function invalid(name: string, expectation: string): ConnectChatError {
  return new ConnectChatError('INVALID_OPTIONS', `${name}: ${expectation}`);
}
