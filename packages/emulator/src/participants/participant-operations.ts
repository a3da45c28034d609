import type { IncomingMessage, ServerResponse } from 'node:http';
import { CappedMap } from '../capped-map.ts';
import type { ChatStore } from '../chats/chat-store.ts';
import { type Authentication, type OperationContext, type OperationHandler, receiveOperation } from '../http/aws-operation.ts';
import { messageFields, RequestFields } from '../http/request-fields.ts';
import { sendAwsError, sendJson } from '../http/respond.ts';
import type { EmulatorOperation } from '../types.ts';
import type { ParticipantSession, ParticipantSessions, TokenRefusal } from './participant-sessions.ts';

/** What the Connect Participant Service operations need. */
export interface ParticipantOperationDeps extends OperationContext {
  store: ChatStore;
  sessions: ParticipantSessions;
}

const connectionTypes = ['WEBSOCKET', 'CONNECTION_CREDENTIALS'] as const;
const eventContentTypes = [
  'application/vnd.amazonaws.connect.event.typing',
  'application/vnd.amazonaws.connect.event.connection.acknowledged',
  'application/vnd.amazonaws.connect.event.message.delivered',
  'application/vnd.amazonaws.connect.event.message.read',
] as const;
const maxRememberedClientTokens = 10_000;

const refusals: Readonly<Record<TokenRefusal, string>> = {
  missing: 'The X-Amz-Bearer header is missing.',
  unknown: 'The token in X-Amz-Bearer is not valid.',
  expired: 'The ConnectionToken has expired; call CreateParticipantConnection with the ParticipantToken for a new one.',
};

function bearerOf(req: IncomingMessage): string | undefined {
  const value = req.headers['x-amz-bearer'];
  return Array.isArray(value) ? value[0] : value;
}

function authenticated(found: ParticipantSession | TokenRefusal): Authentication<ParticipantSession> {
  if (typeof found === 'string') return { ok: false, status: 403, error: 'AccessDeniedException', message: refusals[found] };
  return { ok: true, caller: found };
}

/**
 * The Connect Participant Service's `CreateParticipantConnection`, `SendMessage`, `SendEvent` and
 * `DisconnectParticipant`: authenticated by `X-Amz-Bearer` (a ParticipantToken for the first, a
 * ConnectionToken for the others, not SigV4), 403 `AccessDeniedException` for a missing, unknown or
 * expired token and for any chat that has ended, 400 `ValidationException` for a malformed request,
 * ClientToken idempotency per participant.
 *
 * @example
 * const participants = createParticipantOperations({ store, sessions, faults, logger, shutdown });
 * if (method === 'POST' && pathname === '/participant/message') await participants.SendMessage(req, res, requestId);
 */
export function createParticipantOperations(deps: ParticipantOperationDeps): {
  CreateParticipantConnection: OperationHandler;
  SendMessage: OperationHandler;
  SendEvent: OperationHandler;
  DisconnectParticipant: OperationHandler;
  clear(): void;
} {
  const { store, sessions } = deps;
  const answered = new CappedMap<string, unknown>(maxRememberedClientTokens);
  const byConnection = (req: IncomingMessage) => () => authenticated(sessions.byConnection(bearerOf(req)));

  /**
   * The shared tail of the ConnectionToken operations: a replayed ClientToken answers as before,
   * an ended chat 403, otherwise `act` answers and is remembered.
   */
  const answer = (
    operation: EmulatorOperation,
    res: ServerResponse,
    session: ParticipantSession,
    clientToken: string | undefined,
    act: () => unknown,
  ): void => {
    const replayKey = clientToken === undefined ? undefined : JSON.stringify([operation, session.participantId, clientToken]);
    const replay = replayKey === undefined ? undefined : answered.get(replayKey);
    if (replay !== undefined) {
      sendJson(res, 200, replay);
    } else if (!store.isActive(session.contactId)) {
      sendAwsError(res, 403, 'AccessDeniedException', 'The chat has ended; the participant is disconnected.');
    } else {
      const output = act();
      if (replayKey !== undefined) answered.set(replayKey, output);
      sendJson(res, 200, output);
    }
  };

  const invalid = (res: ServerResponse, operation: EmulatorOperation, issues: string[]): void =>
    sendAwsError(res, 400, 'ValidationException', `Invalid ${operation} request: ${issues.join('; ')}`);

  const appendItem = (session: ParticipantSession, item: Parameters<ChatStore['appendTo']>[1]) => {
    const appended = store.appendTo(session.contactId, item);
    // `answer` checked the chat is active and nothing ran in between.
    if (!appended) throw new Error(`chat ${session.contactId} ended while appending`);
    return { Id: appended.id, AbsoluteTime: appended.at };
  };

  return {
    async CreateParticipantConnection(req, res, requestId) {
      const request = await receiveOperation(deps, 'CreateParticipantConnection', req, res, requestId, () =>
        authenticated(sessions.byParticipant(bearerOf(req))),
      );
      if (!request) return;
      const fields = new RequestFields(request.body);
      const types = request.body['Type'];
      fields.check(
        Array.isArray(types) && types.length > 0 && types.every((type) => (connectionTypes as readonly unknown[]).includes(type)),
        `Type: must be a non-empty array of ${connectionTypes.join(', ')}`,
      );
      const connect = request.body['ConnectParticipant'];
      fields.check(connect === undefined || typeof connect === 'boolean', 'ConnectParticipant: must be a boolean');
      if (fields.issues.length > 0) return invalid(res, 'CreateParticipantConnection', fields.issues);
      const session = request.caller;
      if (!store.isActive(session.contactId)) return sendAwsError(res, 403, 'AccessDeniedException', 'The chat has ended; the participant is disconnected.');
      const issued = sessions.connect(session);
      const expiry = new Date(issued.expiresAt).toISOString();
      if (connect === true && store.get(session.contactId)?.customerConnected === false) {
        store.update(session.contactId, (chat) => {
          chat.customerConnected = true;
        });
      }
      const output: Record<string, unknown> = { ConnectionCredentials: { ConnectionToken: issued.connectionToken, Expiry: expiry } };
      if ((types as string[]).includes('WEBSOCKET')) {
        output['Websocket'] = { Url: `wss://emulator.invalid/participant/${session.participantId}`, ConnectionExpiry: expiry };
      }
      deps.logger.debug('emulator: participant connected', { requestId, contactId: session.contactId });
      sendJson(res, 200, output);
    },

    async SendMessage(req, res, requestId) {
      const request = await receiveOperation(deps, 'SendMessage', req, res, requestId, byConnection(req));
      if (!request) return;
      const fields = new RequestFields(request.body);
      const message = messageFields(fields, '', request.body);
      const clientToken = fields.string('ClientToken', { max: 500 });
      if (fields.issues.length > 0 || !message) return invalid(res, 'SendMessage', fields.issues);
      answer('SendMessage', res, request.caller, clientToken, () =>
        appendItem(request.caller, { type: 'MESSAGE', contentType: message.contentType, content: message.content, participantRole: 'CUSTOMER' }),
      );
    },

    async SendEvent(req, res, requestId) {
      const request = await receiveOperation(deps, 'SendEvent', req, res, requestId, byConnection(req));
      if (!request) return;
      const fields = new RequestFields(request.body);
      const contentType = fields.oneOf('ContentType', eventContentTypes, true);
      const content = fields.string('Content', { min: 1, max: 16_384 });
      const clientToken = fields.string('ClientToken', { max: 500 });
      if (fields.issues.length > 0 || contentType === undefined) return invalid(res, 'SendEvent', fields.issues);
      answer('SendEvent', res, request.caller, clientToken, () =>
        appendItem(request.caller, { type: 'EVENT', contentType, content, participantRole: 'CUSTOMER' }),
      );
    },

    async DisconnectParticipant(req, res, requestId) {
      const request = await receiveOperation(deps, 'DisconnectParticipant', req, res, requestId, byConnection(req));
      if (!request) return;
      const fields = new RequestFields(request.body);
      const clientToken = fields.string('ClientToken', { max: 500 });
      if (fields.issues.length > 0) return invalid(res, 'DisconnectParticipant', fields.issues);
      answer('DisconnectParticipant', res, request.caller, clientToken, () => {
        store.end(request.caller.contactId, 'CUSTOMER');
        deps.logger.debug('emulator: participant disconnected', { requestId, contactId: request.caller.contactId });
        return {};
      });
    },

    clear() {
      answered.clear();
    },
  };
}
