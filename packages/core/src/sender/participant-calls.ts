import { StartChatContactCommand, StartContactStreamingCommand } from '@aws-sdk/client-connect';
import { CreateParticipantConnectionCommand, DisconnectParticipantCommand, SendEventCommand, SendMessageCommand } from '@aws-sdk/client-connectparticipant';
import type { SdkClient } from './sdk-client.ts';
import { type RefusalHints, toSendError } from './aws-errors.ts';
import type { TransportSendOptions } from './types.ts';

export type { SdkClient };

/**
 * The participant service answered 403 on a token we hold as live: the chat has ended (AWS
 * documents no other meaning). The transport drops the session and starts a new chat.
 */
export class ChatEnded extends Error {
  constructor(readonly operation: string) {
    super(`${operation}: the participant service answered AccessDeniedException; the chat has ended`);
    this.name = 'ChatEnded';
  }
}

const connectHints: RefusalHints = {
  accessDenied: 'check that the IAM policy allows connect:StartChatContact and connect:StartContactStreaming on the instance and its contact flows',
  notFound: 'check the contact flow ARN in DestinationId (its Region, instance id and flow id)',
};

const participantHints: RefusalHints = {
  accessDenied: 'the chat has ended',
  notFound: 'the participant service does not know this chat',
};

/** The calls of one attempt: each paced, abortable, and mapped to the one error model. */
export class ParticipantCalls {
  constructor(
    private readonly connect: SdkClient,
    private readonly participant: SdkClient,
    private readonly attempt: Pick<TransportSendOptions, 'signal' | 'pace'>,
  ) {}

  startChatContact(input: ConstructorParameters<typeof StartChatContactCommand>[0]) {
    return this.call('StartChatContact', this.connect, new StartChatContactCommand(input)) as Promise<{
      ContactId?: string;
      ParticipantId?: string;
      ParticipantToken?: string;
    }>;
  }

  startContactStreaming(input: ConstructorParameters<typeof StartContactStreamingCommand>[0]) {
    return this.call('StartContactStreaming', this.connect, new StartContactStreamingCommand(input));
  }

  createParticipantConnection(participantToken: string) {
    const command = new CreateParticipantConnectionCommand({ ParticipantToken: participantToken, Type: ['CONNECTION_CREDENTIALS'], ConnectParticipant: true });
    return this.call('CreateParticipantConnection', this.participant, command) as Promise<{
      ConnectionCredentials?: { ConnectionToken?: string; Expiry?: string };
    }>;
  }

  sendMessage(input: ConstructorParameters<typeof SendMessageCommand>[0]) {
    return this.call('SendMessage', this.participant, new SendMessageCommand(input));
  }

  sendEvent(input: ConstructorParameters<typeof SendEventCommand>[0]) {
    return this.call('SendEvent', this.participant, new SendEventCommand(input));
  }

  disconnectParticipant(input: ConstructorParameters<typeof DisconnectParticipantCommand>[0]) {
    return this.call('DisconnectParticipant', this.participant, new DisconnectParticipantCommand(input));
  }

  private async call(operation: string, client: SdkClient, command: unknown): Promise<unknown> {
    const { signal, pace } = this.attempt;
    await pace(operation);
    const isParticipantCall = client === this.participant;
    try {
      return await client.send(command, { abortSignal: signal });
    } catch (error) {
      const failure = toSendError(error, { operation, hints: isParticipantCall ? participantHints : connectHints, signal });
      if (isParticipantCall && failure.code === 'CONNECT_ACCESS_DENIED') throw new ChatEnded(operation);
      throw failure;
    }
  }
}
