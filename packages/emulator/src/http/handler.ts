import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectChatError, type ChatIntegrationEvent, validateChatIntegrationEvent } from '@connect-chat/core';
import { createSnsSigner, type SnsSigner } from '@connect-chat/core/testing';
import type { AgentReply, AgentReplyResult } from '../agent/agent-reply.ts';
import { createAgentStream } from '../agent/agent-stream.ts';
import { SigV4Verifier } from '../auth/sigv4.ts';
import { ChatStore } from '../chats/chat-store.ts';
import { createContactOperations } from '../contacts/contact-operations.ts';
import { FaultInjector, validateFaults } from '../faults/faults.ts';
import { checkConnectionTokenTtl, type EmulatorHandlerOptions, resolveHandlerOptions } from '../options.ts';
import { createParticipantOperations } from '../participants/participant-operations.ts';
import { ParticipantSessions } from '../participants/participant-sessions.ts';
import { createSimulatorRoutes } from '../simulate/routes.ts';
import { createGenericOutbound } from '../phone/generic-outbound.ts';
import { PhoneStore } from '../phone/phone-store.ts';
import { createSmsVoice } from '../phone/sms-voice.ts';
import { createTwilioMessages } from '../phone/twilio-messages.ts';
import { createWhatsAppCloud } from '../phone/whatsapp-cloud.ts';
import { type StreamDelivery, StreamPublisher } from '../stream/stream-publisher.ts';
import { checkSubscription, type StreamSubscription, Subscriptions } from '../stream/subscriptions.ts';
import type { ChatRecord, EmulatorEvent, Faults, PhoneMessage } from '../types.ts';
import { type OperationContext, type OperationHandler, receiveOperation, signedWith } from './aws-operation.ts';
import { EventStream } from './event-stream.ts';
import { createControlRoutes } from './control-routes.ts';
import { sendAwsError, sendJson } from './respond.ts';

/** Far above any valid control request, far below a memory problem. */
const _maxBodyBytes = 1024 * 1024;

/**
 * A node:http request listener serving the emulator, plus the controls `startEmulator` exposes.
 * Mount it in any server that speaks node:http (`http.createServer(handler)`, `app.use(handler)`).
 *
 * @example
 * const handler: EmulatorHandler = createEmulatorHandler();
 * const stop = handler.subscribe((event) => logger.info(event.type));
 */
export interface EmulatorHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Copies of every kept chat, newest first. */
  chats(): ChatRecord[];
  /** Replaces every fault; throws INVALID_OPTIONS when `faults` is malformed. */
  setFaults(faults: Faults): void;
  /** The faults in force (`failNext` as what is left of it). */
  faults(): Faults;
  /** Forgets every chat and clears every fault. */
  reset(): void;
  /**
   * Ends an active chat of either transport as the agent would (a DISCONNECT item, `chat.ended`);
   * false when no such chat is active. Its participant tokens are refused from then on.
   */
  endChat(contactId: string): boolean;
  /** The lifetime of participant ConnectionTokens issued from now on; throws INVALID_OPTIONS unless an integer 1..366 days. */
  setConnectionTokenTtl(ms: number): void;
  /** Listens to what `GET /_emulator/events` streams; returns the unsubscribe function. */
  subscribe(listener: (event: EmulatorEvent) => void): () => void;
  /**
   * Subscribes an http(s) endpoint to an SNS topic, active at once: every item Connect streams to
   * the topic is posted there as a signed SNS Notification. `fetch` delivers (default the global
   * one; pass an in-process app's). Returns the unsubscribe function; throws INVALID_OPTIONS.
   */
  subscribe(subscription: StreamSubscription & { fetch?: typeof fetch }): () => void;
  /** Ends event streams and abandons delayed requests; call before closing the server. */
  close(): void;
  /**
   * The certificate of the SNS signer behind `POST /_emulator/simulate`: pass it as
   * `createSnsProvider({ resolveCertificate })` so a bridge in this process trusts simulated SNS messages.
   */
  snsCertificateResolver(url: URL): Promise<string>;
  /** Every subscription, oldest first. */
  subscriptions(): StreamSubscription[];
  /**
   * Answers in an active chat as the agent: a transcript item (`chat.updated`), streamed to the
   * chat's topic; resolves once every delivery settled. Rejects with INVALID_OPTIONS for a bad
   * reply, `EmulatorChatError` (`CHAT_NOT_FOUND`, `CHAT_ENDED`) for a chat that cannot be answered.
   */
  reply(contactId: string, reply: AgentReply): Promise<AgentReplyResult>;
  /**
   * Publishes a streamed item again, same `Id`, new SNS `MessageId` (a duplicate publication);
   * rejects with INVALID_OPTIONS when no item with that id was published.
   */
  republish(itemId: string): Promise<StreamDelivery[]>;
  /** Resolves once every stream publication in flight (customer messages, chat ends, replies, retries) has settled. */
  settled(): Promise<void>;
  /** What the bridge delivered to the customer's phone through the channel APIs, oldest first (at most 1,000). */
  phoneMessages(): PhoneMessage[];
}

/** The customer's phone keeps this many messages. */
const maxPhoneMessages = 1_000;

/**
 * Creates the emulator's request handler without starting a server.
 *
 * @example
 * import { createServer } from 'node:http';
 * const handler = createEmulatorHandler({ credentials: [{ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }] });
 * createServer(handler).listen(4050);
 */
export function createEmulatorHandler(options?: EmulatorHandlerOptions): EmulatorHandler {
  const config = resolveHandlerOptions(options);
  const parts = createParts(config);
  if (!parts.verifier.checksSignatures) {
    config.logger.warn('emulator: no credentials configured, so SigV4 signatures are parsed but not checked; pass credentials to check them');
  }
  const reset = resetOf(parts);
  const route = createRoute(parts, awsOperations(parts), createControlRoutes({ ...parts, reset }));
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    route(req, res, requestId).catch((error: unknown) => {
      if (parts.shutdown.signal.aborted || res.destroyed) return;
      parts.logger.error('emulator: request failed', { requestId, error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendAwsError(res, 500, 'InternalServiceException', 'The emulator failed to handle the request.');
      else res.end();
    });
  };
  return Object.assign(handler, publicControls(parts, reset));
}

type ResolvedHandlerOptions = ReturnType<typeof resolveHandlerOptions>;
type Parts = ReturnType<typeof createParts>;

/** The emulator's parts: the chats, faults, the event stream and its listeners, the phone, the channels, the participant service. */
function createParts(config: ResolvedHandlerOptions) {
  const { logger } = config;
  const listeners = new Set<(event: EmulatorEvent) => void>();
  const stream = new EventStream();
  // Set once the publisher exists; nothing publishes before (the store is empty until a request).
  let agent: ReturnType<typeof createAgentStream> | undefined;
  const publish = (event: EmulatorEvent): void => {
    agent?.streamEvent(event);
    stream.publish(event);
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        // A subscriber's bug must not fail a request Connect would have accepted.
        logger.error('emulator: event listener threw', { type: event.type, error: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  const store = new ChatStore(config, publish);
  const faults = new FaultInjector(config.faults);
  const shutdown = new AbortController();
  // Made on first use: generating an RSA key pair costs tens of milliseconds nobody needs to wait for.
  let signer = config.snsSigner;
  const snsSigner = (): Promise<SnsSigner> => {
    signer ??= createSnsSigner();
    return signer;
  };
  const subscriptions = new Subscriptions();
  for (const subscription of config.subscriptions) subscriptions.add(subscription);
  const publisher = new StreamPublisher(subscriptions, snsSigner, logger, shutdown.signal);
  const phone = new PhoneStore(maxPhoneMessages, publish);
  const channel = { faults, logger, shutdown: shutdown.signal, phone };
  agent = createAgentStream({ store, publisher, accountId: config.accountId, logger });
  const verifier = new SigV4Verifier(config.credentials);
  const sessions = new ParticipantSessions(config.maxChats, config.connectionTokenTtlMs);
  const context: OperationContext = { faults, logger, shutdown: shutdown.signal };
  return {
    logger,
    listeners,
    stream,
    publish,
    store,
    faults,
    shutdown,
    subscriptions,
    publisher,
    phone,
    verifier,
    sessions,
    integrationEvents: { ...context, verifier, store, allowUnknownSubtype: config.allowUnknownSubtype } satisfies IntegrationEventDeps,
    contacts: createContactOperations({ ...context, verifier, store, sessions, accountId: config.accountId }),
    participants: createParticipantOperations({ ...context, store, sessions }),
    simulator: createSimulatorRoutes(config.simulator, logger, snsSigner),
    reply: agent.reply,
    twilio: createTwilioMessages(channel, config.phone),
    whatsapp: createWhatsAppCloud(channel, config.phone),
    sms: createSmsVoice(channel, new SigV4Verifier(config.credentials, Date.now, 'sms-voice')),
    generic: createGenericOutbound(channel, config.simulator.secrets.standardWebhookSecret),
  };
}

/** Every bound operation by `METHOD path`, as the SDK clients send them. */
function awsOperations({ integrationEvents, contacts, participants }: Parts): Map<string, OperationHandler> {
  return new Map<string, OperationHandler>([
    ['POST /chat-integration-event', (req, res, requestId) => sendChatIntegrationEvent(integrationEvents, req, res, requestId)],
    ['PUT /contact/chat', contacts.StartChatContact],
    ['POST /contact/start-streaming', contacts.StartContactStreaming],
    ['POST /contact/stop-streaming', contacts.StopContactStreaming],
    ['POST /participant/connection', participants.CreateParticipantConnection],
    ['POST /participant/message', participants.SendMessage],
    ['POST /participant/event', participants.SendEvent],
    ['POST /participant/disconnect', participants.DisconnectParticipant],
  ]);
}

/** Forgets every chat, session, subscription's publications, phone message and fault. */
function resetOf(parts: Parts): () => void {
  return () => {
    parts.store.clear();
    parts.sessions.clear();
    parts.contacts.clear();
    parts.participants.clear();
    parts.publisher.clear();
    parts.phone.clear();
    parts.generic.clear();
    parts.faults.set({});
    parts.publish({ type: 'emulator.reset' });
  };
}

/** The AWS operations, the channel APIs (Twilio, WhatsApp Cloud, SendTextMessage, generic), then the emulator's own routes. */
function createRoute(parts: Parts, operations: Map<string, OperationHandler>, control: ReturnType<typeof createControlRoutes>) {
  const { twilio, whatsapp, sms, generic } = parts;
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = req.method ?? 'GET';
    const operation = operations.get(`${method} ${pathname}`);
    if (operation) return operation(req, res, requestId);
    if (method === 'POST') {
      const twilioAccount = /^\/2010-04-01\/Accounts\/([A-Za-z0-9]{1,64})\/Messages\.json$/.exec(pathname)?.[1];
      if (twilioAccount !== undefined) return twilio(req, res, twilioAccount);
      const phoneNumberId = /^\/v\d{1,3}\.\d{1,3}\/([0-9]{1,64})\/messages$/.exec(pathname)?.[1];
      if (phoneNumberId !== undefined) return whatsapp(req, res, phoneNumberId);
      if (pathname === '/' && req.headers['x-amz-target'] !== undefined) return sms(req, res, requestId);
      if (pathname === '/_emulator/generic/outbound') return generic.receive(req, res);
    }
    if (!pathname.startsWith('/_emulator') && pathname !== '/') {
      // What AWS answers for a path or method no operation is bound to.
      return sendAwsError(res, 404, 'UnknownOperationException', `No operation is bound to ${method} ${pathname}.`);
    }
    return control(req, res, method, pathname);
  };
}

/** What `startEmulator` and tests control beside HTTP (see {@link EmulatorHandler}). */
function publicControls(parts: Parts, reset: () => void) {
  const { store, faults, sessions, subscriptions, listeners, publisher, phone, shutdown, stream } = parts;
  return {
    chats: () => store.list(),
    setFaults: (next: Faults) => faults.set(validateFaults(next, 'faults')),
    faults: () => faults.current(),
    reset,
    endChat: (contactId: string) => store.end(contactId),
    setConnectionTokenTtl: (ms: number) => {
      sessions.connectionTokenTtlMs = checkConnectionTokenTtl(ms, 'connectionTokenTtlMs');
    },
    subscribe: (target: ((event: EmulatorEvent) => void) | (StreamSubscription & { fetch?: typeof fetch })) => {
      if (typeof target !== 'function') {
        const { fetch: deliver, ...rest } = target ?? ({} as StreamSubscription);
        return subscriptions.add(checkSubscription(rest, 'subscription'), deliver);
      }
      listeners.add(target);
      return () => {
        listeners.delete(target);
      };
    },
    subscriptions: () => subscriptions.list(),
    reply: parts.reply,
    republish: async (itemId: string) => {
      const published = publisher.republish(itemId);
      if (!published)
        throw new ConnectChatError('INVALID_OPTIONS', `itemId: expected the id of a published stream item, got ${JSON.stringify(String(itemId).slice(0, 64))}`);
      return published;
    },
    settled: () => publisher.settled(),
    phoneMessages: () => phone.list(),
    close: () => {
      shutdown.abort();
      stream.close();
    },
    snsCertificateResolver: parts.simulator.snsCertificateResolver,
  };
}

/** What SendChatIntegrationEvent needs from the emulator. */
interface IntegrationEventDeps extends OperationContext {
  verifier: SigV4Verifier;
  store: ChatStore;
  allowUnknownSubtype: boolean;
}

/** `POST /chat-integration-event`: SigV4, injected faults, validation, then the chat store. */
async function sendChatIntegrationEvent(deps: IntegrationEventDeps, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const { verifier, store, logger, allowUnknownSubtype } = deps;
  const request = await receiveOperation(deps, 'SendChatIntegrationEvent', req, res, requestId, signedWith(verifier, req));
  if (!request) return;
  const event = request.body;
  const issues = validateChatIntegrationEvent(event, { allowUnknownSubtype });
  if (issues.length > 0) {
    logger.info('emulator: invalid event refused', { requestId, paths: issues.map((issue) => issue.path) });
    sendAwsError(res, 400, 'InvalidRequestException', `Invalid chat integration event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return;
  }
  const output = store.accept(event as unknown as ChatIntegrationEvent);
  logger.debug('emulator: event accepted', { requestId, contactId: output.InitialContactId, newChatCreated: output.NewChatCreated });
  sendJson(res, 200, { InitialContactId: output.InitialContactId ?? null, NewChatCreated: output.NewChatCreated });
}
