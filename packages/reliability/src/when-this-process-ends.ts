/**
 * Calls `stop` if this process ends while it is registered: on a normal exit, and on SIGTERM — how
 * vitest ends a worker whose test timed out — after which SIGTERM is raised again once no other
 * listener waits for it, so the process still ends as SIGTERM ends it. The process waits for no
 * promise then: `stop` must send its signals synchronously. Returns the function that unregisters it.
 *
 * @example
 * const forget = whenThisProcessEnds(() => child.kill('SIGKILL'));
 * await once(child, 'close');
 * forget();
 */
export function whenThisProcessEnds(stop: () => void): () => void {
  const onSigterm = (): void => {
    process.off('exit', stop);
    stop();
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  };
  process.once('exit', stop);
  process.once('SIGTERM', onSigterm);
  return () => {
    process.off('exit', stop);
    process.off('SIGTERM', onSigterm);
  };
}
