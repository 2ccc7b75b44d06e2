// Console output of a running `execute` call, streamed to the client while the code runs: each entry as a
// logging message (filtered by the level the client set), and as a progress notification when the request
// carried a progress token. Every entry also comes back in the result; streaming is for watching a long run.
// Notifications are sent on the request's own stream (`extra.sendNotification`), so over streamable HTTP
// they reach the client that made the call, and only that client.
import type { LoggingLevel, ProgressToken, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { LogEntry, LogLevel } from '../index.js';

/** MCP's levels from least to most severe, as the spec orders them. */
const SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

const LEVELS: Record<LogLevel, LoggingLevel> = { debug: 'debug', log: 'info', info: 'info', warn: 'warning', error: 'error' };

/** Progress messages are cut here: they are status lines, the whole text is in the log message and the result. */
const MAX_PROGRESS_MESSAGE_CHARS = 200;

export interface LogStream {
  send(notification: ServerNotification): Promise<void>;
  /** From the request's `_meta`; without one, no progress notifications are sent. */
  progressToken: ProgressToken | undefined;
  /** The level the client asked for with `logging/setLevel`; undefined: everything. */
  minimumLevel(): LoggingLevel | undefined;
  /** Entries streamed at most; after them one notice, then silence (the result still has them all). */
  maxEntries: number;
}

/** Returns the `onLog` callback of one run. Never throws: a lost notification must not end the run. */
export function forwardLogs(stream: LogStream): (entry: LogEntry) => void {
  let count = 0;
  const send = (notification: ServerNotification) => stream.send(notification).catch(() => {});
  return (entry) => {
    count++;
    if (count > stream.maxEntries + 1) return;
    const capped = count === stream.maxEntries + 1;
    const level = capped ? 'notice' : LEVELS[entry.level];
    const text = capped ? `more than ${stream.maxEntries} console entries: the rest are in the result only` : entry.text;
    const minimum = stream.minimumLevel();
    if (minimum === undefined || SEVERITY.indexOf(level) >= SEVERITY.indexOf(minimum)) {
      void send({ method: 'notifications/message', params: { level, logger: 'codemode', data: text } });
    }
    if (stream.progressToken !== undefined) {
      const message = text.length > MAX_PROGRESS_MESSAGE_CHARS ? `${text.slice(0, MAX_PROGRESS_MESSAGE_CHARS)}…` : text;
      void send({ method: 'notifications/progress', params: { progressToken: stream.progressToken, progress: count, message } });
    }
  };
}
