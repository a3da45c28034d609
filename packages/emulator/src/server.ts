import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectChatError } from '@connect-chat/core';
import { createEmulatorHandler } from './http/handler.ts';
import { invalidOption, isRecord } from './invalid-option.ts';
import { type EmulatorOptions, resolveListenOptions } from './options.ts';
import { isLoopbackHost } from './simulate/loopback.ts';
import type { AgentReply, AgentReplyResult } from './agent/agent-reply.ts';
import type { StreamDelivery } from './stream/stream-publisher.ts';
import type { StreamSubscription } from './stream/subscriptions.ts';
import type { ChatRecord, EmulatorEvent, Faults, PhoneMessage } from './types.ts';

/**
 * A started emulator.
 *
 * @example
 * const emulator: RunningEmulator = await startEmulator({ port: 0 });
 * process.env.AWS_ENDPOINT_URL_CONNECT = emulator.url;
 */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:4050`: set it as `AWS_ENDPOINT_URL_CONNECT` or the client's `endpoint`. */
  url: string;
  /** Stops listening, ends open connections and event streams. */
  close(): Promise<void>;
  /** Copies of every kept chat, newest first. */
  chats(): ChatRecord[];
  /** Replaces every fault; throws INVALID_OPTIONS when `faults` is malformed. */
  setFaults(faults: Faults): void;
  /** Forgets every chat and clears every fault. */
  reset(): void;
  /**
   * Ends an active chat of either transport as the agent would (a DISCONNECT item, `chat.ended`);
   * false when no such chat is active. Its participant tokens are refused from then on.
   */
  endChat(contactId: string): boolean;
  /** The lifetime of participant ConnectionTokens issued from now on; throws INVALID_OPTIONS unless an integer 1..366 days. */
  setConnectionTokenTtl(ms: number): void;
  /**
   * Trusts the certificate the emulator signs simulated SNS messages with: pass it as
   * `createSnsProvider({ resolveCertificate: emulator.snsCertificateResolver })` in a bridge that
   * runs the emulator embedded. Local development only: it resolves no other certificate.
   */
  snsCertificateResolver(url: URL): Promise<string>;
  /**
   * Subscribes an http(s) endpoint to an SNS topic, active at once (no confirmation handshake):
   * every item Connect streams to the topic is posted there as a signed SNS Notification. `fetch`
   * delivers (default the global one). Returns the unsubscribe function; throws INVALID_OPTIONS.
   */
  subscribe(subscription: StreamSubscription & { fetch?: typeof fetch }): () => void;
  /** Listens to what `GET /_emulator/events` streams; returns the unsubscribe function. */
  subscribe(listener: (event: EmulatorEvent) => void): () => void;
  /** Every subscription, oldest first. */
  subscriptions(): StreamSubscription[];
  /**
   * Answers in an active chat as the agent and streams the reply to the chat's topic; resolves with
   * the transcript item and every delivery once they settled (SNS's retries included).
   */
  reply(contactId: string, reply: AgentReply): Promise<AgentReplyResult>;
  /** Publishes a streamed item again: same `Id`, new SNS `MessageId`. */
  republish(itemId: string): Promise<StreamDelivery[]>;
  /** Resolves once every stream publication in flight has settled. */
  settled(): Promise<void>;
  /** What the bridge delivered to the customer's phone, oldest first. */
  phoneMessages(): PhoneMessage[];
}

/**
 * Bound to loopback, the emulator answers only requests addressed to a loopback name: a web page
 * that rebinds its own DNS name to 127.0.0.1 must not drive the simulator (which signs with your
 * secrets) or read transcripts. Bound to another address (a container), any name is accepted.
 */
function hasLoopbackHostHeader(req: IncomingMessage): boolean {
  const header = req.headers.host;
  if (header === undefined) return false;
  try {
    return isLoopbackHost(new URL(`http://${header}`).hostname);
  } catch {
    return false;
  }
}

function refuseHost(res: ServerResponse): void {
  const body = JSON.stringify({
    error: { code: 'FORBIDDEN', message: 'This emulator listens on loopback and answers only requests addressed to localhost, 127.0.0.1 or [::1].' },
  });
  res.writeHead(403, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

const idleConnectionMs = 65_000;

/**
 * Starts a local Amazon Connect `SendChatIntegrationEvent` endpoint on `host:port`.
 *
 * @example
 * const emulator = await startEmulator({ port: 0 });
 * const client = new ConnectClient({ region: 'us-east-1', endpoint: emulator.url, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
 * await client.send(new SendChatIntegrationEventCommand({ SourceId: '+14155550100', DestinationId: 'arn:…', Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hi' } }));
 * console.log(emulator.chats()[0]?.transcript);
 * await emulator.close();
 */
export async function startEmulator(options?: EmulatorOptions): Promise<RunningEmulator> {
  if (options !== undefined && !isRecord(options)) invalidOption('options', 'an object', options);
  const { port, host } = resolveListenOptions(options);
  const { port: _port, host: _host, ...handlerOptions } = options ?? {};
  const handler = createEmulatorHandler(handlerOptions);
  const onlyLoopbackNames = isLoopbackHost(host === '::1' ? '[::1]' : host);
  const server = createServer((req, res) => {
    if (onlyLoopbackNames && !hasLoopbackHostHeader(req)) return refuseHost(res);
    handler(req, res);
  });
  // Node closes an idle keep-alive connection after 5 s, and the AWS SDK's agent ignores the server's
  // Keep-Alive hint: a client pausing about that long between calls (a person at the page, a test
  // driving a browser) could send on a socket being closed and get ECONNRESET. Keep idle connections
  // open for longer, as a service endpoint does.
  server.keepAliveTimeout = idleConnectionMs;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    handler.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES') {
      throw new ConnectChatError('INVALID_OPTIONS', `port/host: cannot listen on ${host}:${port} (${code})`, { cause: error });
    }
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: urlOf(server.address() as AddressInfo),
    chats: () => handler.chats(),
    setFaults: (faults) => handler.setFaults(faults),
    reset: () => handler.reset(),
    endChat: (contactId) => handler.endChat(contactId),
    setConnectionTokenTtl: (ms) => handler.setConnectionTokenTtl(ms),
    snsCertificateResolver: (url) => handler.snsCertificateResolver(url),
    subscribe: ((target: Parameters<typeof handler.subscribe>[0]) => handler.subscribe(target)) as RunningEmulator['subscribe'],
    subscriptions: () => handler.subscriptions(),
    reply: (contactId, reply) => handler.reply(contactId, reply),
    republish: (itemId) => handler.republish(itemId),
    settled: () => handler.settled(),
    phoneMessages: () => handler.phoneMessages(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        handler.close();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients would hold close() open indefinitely.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
