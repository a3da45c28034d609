import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConnectChatError, type Logger } from '@connect-chat/core';
import { type AgentReply, type AgentReplyResult, EmulatorChatError } from '../agent/agent-reply.ts';
import type { ChatStore } from '../chats/chat-store.ts';
import { type FaultInjector, validateFaults } from '../faults/faults.ts';
import { emulatorPage } from '../page/page.ts';
import type { PhoneStore } from '../phone/phone-store.ts';
import type { createSimulatorRoutes } from '../simulate/routes.ts';
import { checkSubscription, type Subscriptions } from '../stream/subscriptions.ts';
import type { ChatRecord } from '../types.ts';
import { readJsonBody } from './body.ts';
import { refuseCrossSite } from './control-guard.ts';
import type { EventStream } from './event-stream.ts';
import { sendControlError, sendJson } from './respond.ts';

/** Far above any valid control request, far below a memory problem. */
const maxBodyBytes = 1024 * 1024;

/** What the control routes read and change: the emulator's parts. */
export interface ControlDeps {
  store: ChatStore;
  faults: FaultInjector;
  logger: Logger;
  subscriptions: Subscriptions;
  phone: PhoneStore;
  stream: EventStream;
  simulator: ReturnType<typeof createSimulatorRoutes>;
  reply(contactId: string, reply: AgentReply): Promise<AgentReplyResult>;
  reset(): void;
}

/**
 * The emulator's own routes — the page, `/_emulator/*` (chats, replies, subscriptions, the phone,
 * faults, reset, the event stream, the simulator) — as one function of the request's method and
 * path. State-changing routes answer only same-machine JSON requests.
 *
 * @example
 * const control = createControlRoutes(deps);
 * await control(req, res, 'GET', '/_emulator/chats');
 */
export function createControlRoutes(deps: ControlDeps): (req: IncomingMessage, res: ServerResponse, method: string, pathname: string) => Promise<void> {
  const { store, faults, logger, subscriptions, phone, stream, simulator, reset } = deps;

  const replyRoute = async (req: IncomingMessage, res: ServerResponse, contactId: string): Promise<void> => {
    const json = await readJsonBody(req, res, maxBodyBytes);
    if (json === undefined) return;
    try {
      sendJson(res, 200, await deps.reply(contactId, json.value as AgentReply));
    } catch (error) {
      if (error instanceof EmulatorChatError) return sendControlError(res, error.code === 'CHAT_ENDED' ? 409 : 404, error.code, error.message);
      if (ConnectChatError.is(error)) return sendControlError(res, 400, error.code, error.message.replace(/^reply\./, ''));
      throw error;
    }
  };

  const subscribeRoute = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const json = await readJsonBody(req, res, maxBodyBytes);
    if (json === undefined) return;
    try {
      const subscription = checkSubscription(json.value, 'body');
      subscriptions.add(subscription);
      logger.info('emulator: endpoint subscribed', { ...subscription });
      sendJson(res, 200, subscription);
    } catch (error) {
      if (ConnectChatError.is(error)) return sendControlError(res, 400, error.code, error.message);
      throw error;
    }
  };

  return async (req, res, method, pathname) => {
    const endpoint = `${method} ${controlPattern(pathname)}`;
    switch (endpoint) {
      case 'GET /':
      case 'GET /_emulator': {
        res.writeHead(200, emulatorPage.headers);
        res.end(emulatorPage.html);
        return;
      }
      case 'GET /_emulator/health':
        return sendJson(res, 200, { status: 'ok' });
      case 'GET /_emulator/chats':
        return sendJson(res, 200, store.list());
      case 'GET /_emulator/chats/:contactId': {
        const contactId = decodePathSegment(pathname.slice('/_emulator/chats/'.length));
        const chat = store.get(contactId);
        return chat ? sendJson(res, 200, chat) : sendControlError(res, 404, 'NOT_FOUND', `No chat with contact id ${JSON.stringify(contactId.slice(0, 256))}.`);
      }
      case 'POST /_emulator/chats/:contactId/end':
        return guarded(req, res, () => {
          const contactId = decodePathSegment(pathname.slice('/_emulator/chats/'.length, -'/end'.length));
          if (!store.end(contactId) && !store.get(contactId)) {
            return sendControlError(res, 404, 'NOT_FOUND', `No chat with contact id ${JSON.stringify(contactId.slice(0, 256))}.`);
          }
          const { transcript, ...summary } = store.get(contactId) as ChatRecord;
          sendJson(res, 200, { ...summary, transcriptLength: transcript.length });
        });
      case 'POST /_emulator/chats/:contactId/reply':
        return guarded(req, res, () => replyRoute(req, res, decodePathSegment(pathname.slice('/_emulator/chats/'.length, -'/reply'.length))));
      case 'GET /_emulator/subscriptions':
        return sendJson(res, 200, subscriptions.list());
      case 'POST /_emulator/subscriptions':
        return guarded(req, res, () => subscribeRoute(req, res));
      case 'GET /_emulator/phone':
        return sendJson(res, 200, phone.list());
      case 'GET /_emulator/faults':
        return sendJson(res, 200, faults.current());
      case 'POST /_emulator/faults':
        return guarded(req, res, () => setFaults(faults, logger, req, res));
      case 'POST /_emulator/reset':
        return guarded(req, res, () => {
          reset();
          sendJson(res, 200, { status: 'ok' });
        });
      case 'GET /_emulator/events':
        return stream.open(req, res);
      case 'GET /_emulator/simulator':
        return simulator.describe(res);
      case 'POST /_emulator/simulate':
        return guarded(req, res, () => simulator.simulate(req, res));
      default:
        return sendControlError(res, 404, 'NOT_FOUND', `No emulator endpoint ${method} ${pathname}.`);
    }
  };
}

async function setFaults(faults: FaultInjector, logger: Logger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const json = await readJsonBody(req, res, maxBodyBytes);
  if (json === undefined) return;
  try {
    faults.set(validateFaults(json.value, 'faults'));
  } catch (error) {
    if (ConnectChatError.is(error)) return sendControlError(res, 400, error.code, error.message);
    throw error;
  }
  logger.info('emulator: faults set', { faults: faults.current() });
  sendJson(res, 200, faults.current());
}

/** State-changing control routes answer only same-machine JSON requests. */
async function guarded(req: IncomingMessage, res: ServerResponse, handle: () => void | Promise<void>): Promise<void> {
  const refusal = refuseCrossSite(req);
  if (refusal) return sendControlError(res, ...refusal);
  return handle();
}

/** The control route a path names: chat ids become `:contactId`. */
function controlPattern(pathname: string): string {
  if (!pathname.startsWith('/_emulator/chats/')) return pathname;
  if (pathname.endsWith('/end')) return '/_emulator/chats/:contactId/end';
  return pathname.endsWith('/reply') ? '/_emulator/chats/:contactId/reply' : '/_emulator/chats/:contactId';
}

// A malformed percent-escape names no chat: it is answered 404 like any unknown id, not 500.
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
