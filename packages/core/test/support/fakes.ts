// Test-local far sides for unit tests of the handler: a provider speaking a tiny signed-JSON format
// and a transport that records what Connect would have received, with scripted failures.
import { SignatureError } from '../../src/errors/signature-error.ts';
import { ConnectChatError } from '../../src/errors/connect-chat-error.ts';
import type { SendError } from '../../src/errors/send-error.ts';
import type { ChatIntegrationEvent } from '../../src/model/types.ts';
import type { InboundMessage } from '../../src/model/inbound-message.ts';
import type { IgnoredEvent, ParseResult, Provider, ProviderContext } from '../../src/providers/types.ts';
import type { ChatTransport, Sender, TransportResult } from '../../src/sender/types.ts';
import type { ReceivedRequest } from '../../src/wire/types.ts';
import { createSender } from '../../src/sender/sender.ts';

/** The body the test provider reads: messages to send, deliveries to ignore, or a direct reply. */
export interface TestDelivery {
  messages?: Array<Partial<InboundMessage> & { id: string }>;
  ignored?: string[];
  reply?: string;
}

export const destinationArn = 'arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1';

/**
 * A provider whose signature is the header `x-test-signature: valid`; `x-test-topic: forbidden`
 * is verified but not allowed. It records the context it was given.
 */
export function testProvider(overrides: Partial<Provider> = {}) {
  const contexts: ProviderContext[] = [];
  const provider: Provider = {
    name: 'test',
    methods: ['POST'],
    contentTypes: { POST: ['application/json'] },
    async verify(request: ReceivedRequest, context: ProviderContext) {
      contexts.push(context);
      if (request.headers.get('x-test-signature') !== 'valid') throw new SignatureError('x-test-signature is missing or wrong');
      if (request.headers.get('x-test-topic') === 'forbidden') throw new ConnectChatError('FORBIDDEN', 'topic not allowed');
    },
    async parse(request: ReceivedRequest): Promise<ParseResult> {
      let delivery: TestDelivery;
      try {
        delivery = JSON.parse(request.text) as TestDelivery;
      } catch (cause) {
        throw new ConnectChatError('MALFORMED_PAYLOAD', 'body is not JSON', { cause });
      }
      const ignored: IgnoredEvent[] = (delivery.ignored ?? []).map((reason) => ({ provider: 'test', reason, raw: reason }));
      if (delivery.reply !== undefined) {
        return { kind: 'reply', response: { status: 200, headers: { 'content-type': 'text/plain' }, body: delivery.reply }, ignored: ignored[0] };
      }
      const messages = (delivery.messages ?? []).map((m) => inboundMessage(m));
      return { kind: 'messages', messages, ignored };
    },
    ...overrides,
  };
  return { provider, contexts };
}

export function inboundMessage(overrides: Partial<InboundMessage> & { id: string }): InboundMessage {
  return {
    provider: 'test',
    channel: 'sms',
    kind: 'message',
    from: '+14255550182',
    to: '+12125550101',
    text: `text of ${overrides.id}`,
    media: [],
    raw: { id: overrides.id },
    ...overrides,
  };
}

/** A signed test request for `handler.fetch`. */
export function testRequest(delivery: TestDelivery, init: { headers?: Record<string, string>; method?: string } = {}): Request {
  return new Request('https://bridge.example/webhooks/test', {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', 'x-test-signature': 'valid', ...init.headers },
    body: JSON.stringify(delivery),
  });
}

/**
 * What Connect would have received, one attempt at a time. `failNext` makes the next attempts
 * fail; `hold` keeps attempts waiting until released (to observe a send in flight).
 */
export function recordingTransport() {
  const accepted: ChatIntegrationEvent[] = [];
  const attempts: ChatIntegrationEvent[] = [];
  const failures: Array<SendError | Error> = [];
  const targeted: Array<{ content: string; error: SendError | Error }> = [];
  let gate: { promise: Promise<void>; open(): void } | undefined;
  let entered: (() => void) | undefined;
  const transport: ChatTransport = {
    async send(event): Promise<TransportResult> {
      attempts.push(event);
      entered?.();
      if (gate) await gate.promise;
      const failure = failures.shift();
      if (failure) throw failure;
      const index = targeted.findIndex((t) => t.content === event.Event.Content);
      if (index >= 0) throw targeted.splice(index, 1)[0]!.error;
      accepted.push(event);
      return { InitialContactId: `contact-${accepted.length}`, NewChatCreated: accepted.length === 1, requestId: `request-${attempts.length}` };
    },
  };
  return {
    transport,
    accepted,
    attempts,
    contents: () => accepted.map((event) => event.Event.Content),
    failNext(...errors: Array<SendError | Error>) {
      failures.push(...errors);
    },
    /** The next attempt to send this content fails with `error`. */
    failContent(content: string, error: SendError | Error) {
      targeted.push({ content, error });
    },
    /** Holds every attempt until the returned function is called; `started` resolves on the next attempt. */
    hold() {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => {
        open = resolve;
      });
      gate = { promise, open };
      const started = new Promise<void>((resolve) => {
        entered = resolve;
      });
      return {
        started,
        release() {
          gate = undefined;
          entered = undefined;
          open();
        },
      };
    },
  };
}

/** Every hook call, in order. */
export function recordingHooks() {
  const calls: Array<{ hook: string; info: unknown }> = [];
  const record = (hook: string) => (info: unknown) => {
    calls.push({ hook, info });
  };
  return {
    calls,
    of: <T = Record<string, unknown>>(hook: string) => calls.filter((call) => call.hook === hook).map((call) => call.info as T),
    hooks: {
      onSent: record('onSent'),
      onIgnored: record('onIgnored'),
      onRejected: record('onRejected'),
      onError: record('onError'),
      onOutcome: record('onOutcome'),
    },
  };
}

/** The real sender over a recording transport: one attempt, no pacing, so unit tests are fast. */
export function senderOver(transport: ChatTransport): Sender {
  return createSender({ transport, rateLimit: false, retry: { maxAttempts: 1 } });
}
