import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WireAnswer } from './connect-wire-cases.ts';

/** One request as the stand-in read it, byte for byte. */
export interface RecordedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** What the stand-in answers: a scripted answer (with Connect's content type and request id unless given), or a function that writes its own. */
export type ScriptedReply = WireAnswer | ((res: ServerResponse) => void);

/** A stand-in for Connect that records every request and answers what the test scripts. */
export interface RecordingConnect {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** Every request since the last `reset()`, in arrival order. */
  readonly received: RecordedRequest[];
  reply: ScriptedReply;
  /** The next request to arrive. */
  nextRequest(): Promise<RecordedRequest>;
  /** Forgets the requests and answers `{}` again. */
  reset(): void;
  /** Closes every connection, answered or not (a reply that never ends, or streams on). */
  dropConnections(): void;
  close(): Promise<void>;
}

const emptyAnswer: WireAnswer = { status: 200, body: '{}' };

/**
 * Starts the stand-in on a free port of 127.0.0.1.
 *
 * @example
 * const connect = await startRecordingConnect();
 * connect.reply = { status: 200, body: '{"InitialContactId":"c-1","NewChatCreated":true}' };
 * // … send to connect.origin, then read connect.received[0].body
 */
export async function startRecordingConnect(): Promise<RecordingConnect> {
  const received: RecordedRequest[] = [];
  const arrivals: Array<(request: RecordedRequest) => void> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      for (const arrived of arrivals.splice(0)) arrived(request);
      const { reply } = connect;
      if (typeof reply === 'function') return reply(res);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-123', ...reply.headers }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const connect: RecordingConnect = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    reply: emptyAnswer,
    nextRequest: () => new Promise((resolve) => arrivals.push(resolve)),
    reset() {
      received.length = 0;
      connect.reply = emptyAnswer;
    },
    dropConnections: () => server.closeAllConnections(),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return connect;
}
