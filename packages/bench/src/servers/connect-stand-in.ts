// Amazon Connect's side of every contender: answers SendChatIntegrationEvent at once with the JSON
// the API returns, so what is measured is the server, not Connect. No SigV4 check, no chat state
// beyond a contact id per chat key (Connect returns one per chat, and core keeps a session per
// contact). Started with fork(): it reports its port, and counts the events it accepted (so the
// harness can check that every 2xx a contender answered was an event that reached Connect) and the
// connections opened to it (so it can check that a contender held one per request in flight).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

let accepted = 0;
let connections = 0;
const contacts = new Map<string, string>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/chat-integration-event') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SourceId: string; DestinationId: string; Subtype: string };
    const chatKey = `${event.SourceId}\n${event.DestinationId}\n${event.Subtype}`;
    let contactId = contacts.get(chatKey);
    const created = contactId === undefined;
    if (contactId === undefined) {
      contactId = randomUUID();
      contacts.set(chatKey, contactId);
    }
    accepted += 1;
    const body = JSON.stringify({ InitialContactId: contactId, NewChatCreated: created });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() }).end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.on('connection', () => {
  connections += 1;
});

server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message) => {
  if (message === 'counts') process.send?.({ accepted, connections });
});
process.on('disconnect', () => process.exit(0));
