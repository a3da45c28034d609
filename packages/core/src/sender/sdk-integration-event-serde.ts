import { collectBody, HttpRequest } from '@smithy/core/protocols';
import type { ChatIntegrationEvent } from '../model/types.ts';
import { chatIntegrationEventBody, decodeJsonBody } from './rest-json.ts';

/** An operation as the SDK's serde middlewares hand it to the protocol. */
interface SdkOperation {
  namespace?: string;
  name?: string;
}

/** An answer as the request handler returns it. */
interface SdkResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** What is read or replaced here of the SDK client's protocol object (restJson1, one per client). */
export interface SdkProtocol {
  serializeRequest(operation: SdkOperation, input: unknown, context: { endpoint(): Promise<unknown> }): Promise<unknown>;
  deserializeResponse(operation: SdkOperation, context: object, response: SdkResponse): Promise<unknown>;
  updateServiceEndpoint(request: HttpRequest, endpoint: unknown): unknown;
  deserializeMetadata(response: SdkResponse): Record<string, unknown>;
}

const operationPath = '/chat-integration-event';
/** `SendChatIntegrationEventResponse`'s members, in the model's order. */
const outputMembers = ['InitialContactId', 'NewChatCreated'] as const;

const isSendChatIntegrationEvent = (operation: SdkOperation) =>
  operation.name === 'SendChatIntegrationEvent' && operation.namespace === 'com.amazonaws.connect';

/**
 * Gives a `ConnectClient`'s protocol a direct way to write `SendChatIntegrationEvent` and read its
 * answer, the same bytes and the same output as the SDK's schema serde (which walks the operation's
 * schema member by member: about 40 µs per call on Node 20): the body from `chatIntegrationEventBody`
 * (rest-json.ts), the endpoint and path joined by the protocol's own code; a 2xx answer's modeled
 * members and `$metadata` as the SDK reads them. Every other operation, and every answer of 300 and
 * above (errors), goes to the SDK's serde as before. Only for clients core builds.
 *
 * @example
 * useDirectIntegrationEventSerde(client.config.protocol);
 */
export function useDirectIntegrationEventSerde(protocol: SdkProtocol): void {
  const { serializeRequest, deserializeResponse } = protocol;
  protocol.serializeRequest = async function (operation, input, context) {
    if (!isSendChatIntegrationEvent(operation) || typeof input !== 'object' || input === null) return serializeRequest.call(this, operation, input, context);
    const request = new HttpRequest({ method: 'POST', query: {}, headers: {} });
    // The SDK's own steps: the endpoint's protocol, host, port and path, then the operation's path
    // after it, and the operation's query (none) in place of the endpoint's.
    this.updateServiceEndpoint(request, await context.endpoint());
    request.path = request.path === '/' ? operationPath : request.path + operationPath;
    request.query = {};
    request.body = chatIntegrationEventBody(input as ChatIntegrationEvent);
    request.headers['content-type'] = 'application/json';
    return request;
  };
  protocol.deserializeResponse = async function (operation, context, response) {
    if (!isSendChatIntegrationEvent(operation) || response.statusCode >= 300) return deserializeResponse.call(this, operation, context, response);
    const bytes = await collectBody(response.body as Uint8Array, context as never);
    // Not JSON throws the SyntaxError the SDK throws; the SDK's serde middleware adds what it adds to it.
    const body = decodeJsonBody(bytes);
    const output: Record<string, unknown> = {};
    for (const member of outputMembers) {
      const value = (body as Record<string, unknown>)[member];
      if (value != null) output[member] = value;
    }
    output['$metadata'] = this.deserializeMetadata(response);
    return output;
  };
}
