import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorEvent } from '../types.ts';
import { sendControlError } from './respond.ts';

const maxClients = 64;
/** Keeps proxies and browsers from closing an idle stream. */
const heartbeatMs = 15_000;

/** `GET /_emulator/events`: every emulator event as a Server-Sent Event named by its type. */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private nextId = 1;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.clients.size >= maxClients) {
      sendControlError(res, 503, 'TOO_MANY_STREAMS', `At most ${maxClients} event streams may be open at once.`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    // A first comment flushes the headers, so clients know the stream is live before any event.
    res.write(': connected\n\n');
    this.clients.add(res);
    req.on('close', () => this.remove(res));
    this.heartbeat ??= setInterval(() => this.writeAll(': ping\n\n'), heartbeatMs).unref();
  }

  publish(event: EmulatorEvent): void {
    if (this.clients.size === 0) return;
    this.writeAll(`id: ${this.nextId++}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.stopHeartbeat();
  }

  private writeAll(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  private remove(res: ServerResponse): void {
    this.clients.delete(res);
    if (this.clients.size === 0) this.stopHeartbeat();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
