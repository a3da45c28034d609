import { ConnectChatError } from '@connect-chat/core';

/** The one line a port already taken deserves, naming the variable that chose it; else undefined. */
export function portInUse(variable: 'PORT' | 'EMULATOR_PORT', host: string, port: number, error: unknown): ConnectChatError | undefined {
  // The emulator wraps the listen error in its own; the system's code is then on the cause.
  const code = errnoCode(error) ?? errnoCode((error as { cause?: unknown } | null)?.cause);
  if (code === 'EADDRINUSE') {
    return new ConnectChatError('INVALID_OPTIONS', `${variable}: ${host}:${port} is already in use; stop what uses it or set ${variable} to a free port`);
  }
  if (code === 'EACCES') {
    return new ConnectChatError('INVALID_OPTIONS', `${variable}: not allowed to listen on ${host}:${port}; choose a port above 1023`);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ConnectChatError('INVALID_OPTIONS', `HOST: ${host} is not an address of this machine; set HOST to one (127.0.0.1 for this machine only)`);
  }
  return undefined;
}

/** A start-up failure as the one line a bridge prints before exiting 1. */
export function startupLine(error: unknown): string {
  const message = ConnectChatError.is(error) ? error.message : error instanceof Error ? error.message : String(error);
  return `connect-chat bridge: refusing to start: ${message.split('\n')[0]}\n`;
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('E') ? code : undefined;
}
