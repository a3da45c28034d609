import type { StopSignal } from './deadlines.ts';

/** Lets one send per chat key run at a time, in the order `acquire` was called. */
export interface ChatQueue {
  /**
   * Joins the key's line at once (call synchronously to keep call order). A free line answers the
   * release function at once; otherwise a promise of it when this caller's turn comes, rejected with
   * `signal.reason` if the signal aborts first.
   */
  acquire(key: string, signal: StopSignal): (() => void) | Promise<() => void>;
  /** Keys with a send running or waiting. */
  readonly size: number;
}

interface Turn {
  grant(): void;
  cancel(): void;
}

interface Line {
  busy: boolean;
  waiting: Turn[];
}

export function createChatQueue(): ChatQueue {
  const lines = new Map<string, Line>();

  const releaserFor = (key: string, line: Line) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.waiting.shift();
      if (next) next.grant();
      else {
        line.busy = false;
        lines.delete(key);
      }
    };
  };

  return {
    get size() {
      return lines.size;
    },
    acquire(key, signal) {
      if (signal.aborted) return Promise.reject(signal.reason);
      let line = lines.get(key);
      if (!line) {
        line = { busy: false, waiting: [] };
        lines.set(key, line);
      }
      const current = line;
      if (!current.busy) {
        current.busy = true;
        return releaserFor(key, current);
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => turn.cancel();
        const turn: Turn = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(releaserFor(key, current));
          },
          cancel: () => {
            // Leaving the line must not let later sends overtake the one still running ahead.
            const index = current.waiting.indexOf(turn);
            if (index >= 0) current.waiting.splice(index, 1);
            reject(signal.reason);
          },
        };
        signal.addEventListener('abort', onAbort, { once: true });
        current.waiting.push(turn);
      });
    },
  };
}
