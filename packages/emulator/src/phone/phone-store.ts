import type { EmulatorEvent, PhoneMessage } from '../types.ts';

/** The customer's phone: every message a bridge delivered, oldest first, bounded. */
export class PhoneStore {
  private readonly messages: PhoneMessage[] = [];

  constructor(
    private readonly capacity: number,
    private readonly onEvent: (event: EmulatorEvent) => void,
  ) {}

  /** Records a delivered message and emits `phone.received`. */
  receive(input: Omit<PhoneMessage, 'at'>): PhoneMessage {
    const message: PhoneMessage = { id: input.id, at: new Date().toISOString(), channel: input.channel, to: input.to, from: input.from, text: input.text };
    this.messages.push(message);
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
    this.onEvent({ type: 'phone.received', phoneMessage: { ...message } });
    return message;
  }

  /** Copies, oldest first. */
  list(): PhoneMessage[] {
    return this.messages.map((message) => ({ ...message }));
  }

  clear(): void {
    this.messages.length = 0;
  }
}
