// What a running `execute` call streams to its client while the code runs, on the request's own stream
// (`extra.sendNotification`, so over streamable HTTP only the client that made the call hears it):
//   - console output: each entry as a logging message (logger `codemode`), up to `maxEntries`;
//   - notices tools report (`context.notify`; an upstream MCP server's progress and log lines): log lines
//     as logging messages under the tool's logger (`upstream:memory`), progress as progress;
// both filtered by the level the client set, and progress only when the request carried a progress token.
// Progress counts up across everything the run reports (the spec wants it to increase), and its message says
// what moved (`memory.create_entities: 2/5`). Notices are cut to NOTICE_CAPS.maxChars and rate-limited
// (NOTICE_CAPS.burst, then perSecond): the rest are dropped and the client is told so once. Every console
// entry also comes back in the result; streaming is for watching a long run.
import type { LoggingLevel, ProgressToken, ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import type { CallNotice, LogEntry, LogLevel } from '../index.js';
import { NOTICE_CAPS } from '../limits/table.js';

/** MCP's levels from least to most severe, as the spec orders them. */
const SEVERITY: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

const LEVELS: Record<LogLevel, LoggingLevel> = { debug: 'debug', log: 'info', info: 'info', warn: 'warning', error: 'error' };

/** Progress messages are cut here: they are status lines, the whole text is in the log message and the result. */
const MAX_PROGRESS_MESSAGE_CHARS = 200;
const MAX_LOGGER_CHARS = 100;

export interface LogStream {
  send(notification: ServerNotification): Promise<void>;
  /** From the request's `_meta`; without one, no progress notifications are sent. */
  progressToken: ProgressToken | undefined;
  /** The level the client asked for with `logging/setLevel`; undefined: everything. */
  minimumLevel(): LoggingLevel | undefined;
  /** Console entries streamed at most; after them one notice, then silence (the result still has them all). */
  maxEntries: number;
}

export interface RunStream {
  /** The run's `onLog`. */
  onLog(entry: LogEntry): void;
  /** The run's `onNotice`. */
  onNotice(notice: CallNotice): void;
}

/** The `onLog` and `onNotice` callbacks of one run. They never throw: a lost notification must not end the run. */
export function streamRun(stream: LogStream): RunStream {
  let entries = 0;
  let progress = 0;
  const rate = new TokenBucket(NOTICE_CAPS.burst, NOTICE_CAPS.perSecond);
  let toldDropped = false;
  const send = (notification: ServerNotification) => void stream.send(notification).catch(() => {});
  const wanted = (level: LoggingLevel) => {
    const minimum = stream.minimumLevel();
    return minimum === undefined || SEVERITY.indexOf(level) >= SEVERITY.indexOf(minimum);
  };
  const sendProgress = (message: string) => {
    if (stream.progressToken === undefined) return;
    send({ method: 'notifications/progress', params: { progressToken: stream.progressToken, progress: ++progress, message: cut(message, MAX_PROGRESS_MESSAGE_CHARS) } });
  };

  return {
    onLog(entry) {
      entries++;
      if (entries > stream.maxEntries + 1) return;
      const capped = entries === stream.maxEntries + 1;
      const level = capped ? 'notice' : LEVELS[entry.level];
      const text = capped ? `more than ${stream.maxEntries} console entries: the rest are in the result only` : entry.text;
      if (wanted(level)) send({ method: 'notifications/message', params: { level, logger: 'codemode', data: text } });
      sendProgress(text);
    },
    onNotice(notice) {
      const level = notice.type === 'log' ? (SEVERITY.includes(notice.level) ? notice.level : 'info') : undefined;
      // What the client would not see costs nothing: filtered lines and progress without a token are not counted.
      if (level !== undefined ? !wanted(level) : stream.progressToken === undefined) return;
      if (!rate.take()) {
        if (!toldDropped && wanted('warning')) {
          const data = `tools of this run report more than ${NOTICE_CAPS.perSecond} notices per second (first ${notice.name}); the excess is dropped`;
          send({ method: 'notifications/message', params: { level: 'warning', logger: 'codemode', data } });
        }
        toldDropped = true;
        return;
      }
      if (notice.type === 'log') {
        const logger = typeof notice.logger === 'string' && notice.logger !== '' ? cut(notice.logger, MAX_LOGGER_CHARS) : 'codemode';
        send({ method: 'notifications/message', params: { level: level!, logger, data: boundedData(notice.data) } });
      } else {
        sendProgress(`${notice.name}: ${progressText(notice)}`);
      }
    },
  };
}

/** `2/5 message`, from numbers and text that came from a tool (an upstream server): shown only when they are what they claim. */
function progressText(notice: Extract<CallNotice, { type: 'progress' }>): string {
  const count = Number.isFinite(notice.progress) ? String(notice.progress) : '';
  const of = typeof notice.total === 'number' && Number.isFinite(notice.total) ? `/${notice.total}` : '';
  const message = typeof notice.message === 'string' ? notice.message : '';
  return [`${count}${of}`, message].filter((part) => part !== '').join(' ') || 'working';
}

/** A log line's data as sent when short; else its text (JSON for non-strings), cut. */
function boundedData(data: unknown): unknown {
  if (typeof data === 'string') return cut(data, NOTICE_CAPS.maxChars);
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    json = undefined;
  }
  if (json === undefined) return String(data);
  return json.length <= NOTICE_CAPS.maxChars ? data : cut(json, NOTICE_CAPS.maxChars);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `burst` at once, then `perSecond`: refilled from the clock when asked, so it needs no timer. */
class TokenBucket {
  private tokens: number;
  private last = performance.now();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
  ) {
    this.tokens = burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
