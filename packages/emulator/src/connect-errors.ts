import type { ConnectErrorName, FaultStatus } from './types.ts';

/** The HTTP status of each documented Connect error, as the service answers it. */
export const connectErrorStatus: Readonly<Record<ConnectErrorName, FaultStatus>> = {
  InvalidRequestException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ThrottlingException: 429,
  InternalServiceException: 500,
};

export const connectErrorNames = Object.keys(connectErrorStatus) as ConnectErrorName[];

/** The Connect error injected for a status in `errorRates`. */
export const connectErrorByStatus: Readonly<Record<FaultStatus, ConnectErrorName>> = {
  400: 'InvalidRequestException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  429: 'ThrottlingException',
  500: 'InternalServiceException',
};

/** Messages in the words the service uses, so logs of the emulator read like logs against AWS. */
export const injectedMessages: Readonly<Record<ConnectErrorName, string>> = {
  InvalidRequestException: 'The request is not valid. (injected by the emulator)',
  AccessDeniedException: 'You do not have sufficient access to perform this action. (injected by the emulator)',
  ResourceNotFoundException: 'The specified resource was not found. (injected by the emulator)',
  ThrottlingException: 'Rate exceeded (injected by the emulator)',
  InternalServiceException: 'Request processing failed because of an error or failure with the service. (injected by the emulator)',
};
