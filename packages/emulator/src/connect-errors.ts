import type { ChannelErrorName, ChannelOperation, ConnectErrorName, EmulatorOperation, FaultStatus } from './types.ts';

/** The HTTP status of each documented error, as the services answer it. */
export const connectErrorStatus: Readonly<Record<ConnectErrorName, number>> = {
  InvalidRequestException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServiceException: 500,
  InvalidParameterException: 400,
  LimitExceededException: 429,
  ValidationException: 400,
  InternalServerException: 500,
  ConflictException: 409,
};

export const connectErrorNames = Object.keys(connectErrorStatus) as ConnectErrorName[];

/** Every operation the emulator serves, Connect's first. */
export const operationNames: readonly EmulatorOperation[] = [
  'SendChatIntegrationEvent',
  'StartChatContact',
  'StartContactStreaming',
  'StopContactStreaming',
  'CreateParticipantConnection',
  'SendMessage',
  'SendEvent',
  'DisconnectParticipant',
  'TwilioCreateMessage',
  'WhatsAppSendMessage',
  'SendTextMessage',
  'GenericOutbound',
];

/** The channel operations: the APIs a bridge delivers replies through. */
export const channelOperationNames: readonly ChannelOperation[] = ['TwilioCreateMessage', 'WhatsAppSendMessage', 'SendTextMessage', 'GenericOutbound'];

/** The channel-neutral errors injected into channel operations. */
export const channelErrorNames: readonly ChannelErrorName[] = ['ChannelThrottled', 'ChannelUnavailable', 'RecipientOptedOut', 'WindowClosed'];

/** Whether the operation is a channel API (the customer's phone), not Connect's. */
export function isChannelOperation(operation: EmulatorOperation): operation is ChannelOperation {
  return (channelOperationNames as readonly string[]).includes(operation);
}

/** Whether the error name is one of the channel-neutral errors. */
export function isChannelErrorName(name: string): name is ChannelErrorName {
  return (channelErrorNames as readonly string[]).includes(name);
}

/** The channel error injected for a status in `errorRates` or an empty quota bucket. */
export const channelErrorByStatus: Readonly<Record<FaultStatus, ChannelErrorName>> = {
  400: 'WindowClosed',
  403: 'RecipientOptedOut',
  404: 'RecipientOptedOut',
  429: 'ChannelThrottled',
  500: 'ChannelUnavailable',
};

const participantOperations: ReadonlySet<EmulatorOperation> = new Set(['CreateParticipantConnection', 'SendMessage', 'SendEvent', 'DisconnectParticipant']);

/** Whether the operation belongs to the Connect Participant Service (bearer tokens, its own error names). */
export function isParticipantOperation(operation: EmulatorOperation): boolean {
  return participantOperations.has(operation);
}

/** The Connect error injected for a status in `errorRates`. */
export const connectErrorByStatus: Readonly<Record<FaultStatus, ConnectErrorName>> = {
  400: 'InvalidRequestException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServiceException',
};

/** The participant service error injected for a status in `errorRates`. */
export const participantErrorByStatus: Readonly<Record<FaultStatus, ConnectErrorName>> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
};

/** Messages in the words the service uses, so logs of the emulator read like logs against AWS. */
export const injectedMessages: Readonly<Record<ConnectErrorName, string>> = {
  InvalidRequestException: 'The request is not valid. (injected by the emulator)',
  AccessDeniedException: 'You do not have sufficient access to perform this action. (injected by the emulator)',
  ResourceNotFoundException: 'The specified resource was not found. (injected by the emulator)',
  ThrottlingException: 'Rate exceeded (injected by the emulator)',
  InternalServiceException: 'Request processing failed because of an error or failure with the service. (injected by the emulator)',
  InvalidParameterException: 'One or more of the specified parameters are not valid. (injected by the emulator)',
  LimitExceededException: 'The allowed limit for the resource has been exceeded. (injected by the emulator)',
  ValidationException: 'The input fails to satisfy the constraints specified by Amazon Connect. (injected by the emulator)',
  InternalServerException: 'This exception occurs when there is an internal failure in the Amazon Connect service. (injected by the emulator)',
  ConflictException: 'The requested operation conflicts with the current state of a service resource. (injected by the emulator)',
};
