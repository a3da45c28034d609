import { ConnectChatError, type Logger } from '@connect-chat/core';

const levels = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof levels)[number];

/**
 * One JSON object per line on stdout: what log collectors ingest without configuration.
 * `LOG_LEVEL` picks the lowest level written (default `info`).
 */
export function createJsonLogger(minimum: string | undefined = 'info'): Logger {
  const threshold = levels.indexOf((minimum as Level) ?? 'info');
  if (threshold === -1) throw new ConnectChatError('INVALID_OPTIONS', `LOG_LEVEL: expected one of ${levels.join(', ')}, got "${minimum}"`);
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (levels.indexOf(level) < threshold) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
