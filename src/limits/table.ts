// Every numeric limit of codemode with its range and default: the one table the Executor, the sandbox
// runtime, the MCP server, the HTTP server, the CLI flags and the CLI config schema all read. Adding a
// limit is one row (and its doc comment): the option types are derived from these tables.
//
// Defaults are named constants here (the public DEFAULT_* exports are these). Ranges stop where a bigger
// value would break something: timers above MAX_TIMER_MS fire at once, a heap below 8 MB cannot start.
import { availableParallelism } from 'node:os';
import { limit, range } from './rules.js';

/** The longest delay node's timers accept (about 24.8 days); anything longer fires immediately. */
export const MAX_TIMER_MS = 2_147_483_647;

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT_MB = 128;
export const DEFAULT_MAX_LOG_CHARS = 64_000;
export const DEFAULT_MAX_VALUE_CHARS = 8_000_000;
export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_HOST_CALLS = 10_000;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 300_000;
/** 32 MiB: two full in-memory mounts of the fs capability (16 MiB each by default). */
export const DEFAULT_MAX_FILES_BYTES = 32 * 1024 * 1024;
/** Two: one process runs while the other prepares its next isolate. */
export const DEFAULT_MIN_PROCESSES = 2;
export const DEFAULT_MAX_PROCESSES = Math.max(4, 2 * availableParallelism());
export const DEFAULT_IDLE_PROCESS_MS = 30_000;
/** Runs one isolate serves (each in a fresh context) before it retires. */
export const DEFAULT_ISOLATE_RUNS = 100;
/** An isolate whose heap holds more than this after a run retires (MB). */
export const DEFAULT_ISOLATE_HEAP_MB = 8;
export const DEFAULT_MAX_WORKSPACES = 32;
/** Ten minutes. */
export const DEFAULT_WORKSPACE_IDLE_MS = 10 * 60_000;
/** Characters of result text an `execute` call returns at most (value and console output together). */
export const DEFAULT_MAX_RESULT_CHARS = 20_000;
/** With search enabled, declarations longer than this go out of the execute description (names only). */
export const DEFAULT_INLINE_DECLARATION_CHARS = 12_000;
/** Console entries sent to the client as notifications per run; the rest still come back in the result. */
export const DEFAULT_MAX_LOG_NOTIFICATIONS = 1_000;
/** Bytes of files one `execute` result carries (5 MiB, before base64): clients show images, not archives. */
export const DEFAULT_MAX_RESULT_FILE_BYTES = 5 * 1024 * 1024;
/** Runs the inspector page keeps (the oldest is forgotten first). */
export const DEFAULT_INSPECTOR_RUNS = 50;
/** Streamable HTTP sessions open at once. */
export const DEFAULT_MAX_SESSIONS = 100;
/** A session without an open request for this long is closed (30 minutes). */
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** A session whose event stream closed, with no request since, is closed after this (the client is gone). */
export const DEFAULT_SESSION_GONE_MS = 10_000;
/** TCP connections open at once: for each of the default 100 sessions, its event stream, a request and keep-alive spares. */
export const DEFAULT_MAX_CONNECTIONS = 512;
/** Time to receive a request's headers (slow-header clients are cut off with 408). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Time to receive a whole request, body included (not the answer: a long run or event stream is fine). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The largest bundled module (`modules: [...]`), in characters: far above any library a script needs. */
export const MAX_MODULE_CHARS = 16_000_000;

/** Limits of one run: set per executor, overridden per run (`RunLimits`). */
export const RUN_LIMITS = {
  /** Wall-clock time for the whole run, host calls included, approval waits excluded. Default 30 000. */
  timeoutMs: limit(1, MAX_TIMER_MS, DEFAULT_TIMEOUT_MS, 'milliseconds'),
  /** Heap limit of the run's isolate, in MB (at least 8). Default 128. */
  memoryLimitMb: limit(8, 16_384, DEFAULT_MEMORY_LIMIT_MB, 'megabytes'),
  /** Console output kept per run, in characters, each entry counting its length plus one; the rest is dropped with a marker. Default 64 000. */
  maxLogChars: limit(0, 1_000_000_000, DEFAULT_MAX_LOG_CHARS, 'characters'),
  /** Largest encoded value that may cross the bridge (call input, tool result, return value), in characters. Default 8 000 000. */
  maxValueChars: limit(16, 500_000_000, DEFAULT_MAX_VALUE_CHARS, 'characters'),
  /** Deepest nesting of a value that may cross the bridge. Default 64. */
  maxDepth: limit(1, 10_000, DEFAULT_MAX_DEPTH),
  /** Host calls allowed in one run. Default 10 000. */
  maxHostCalls: limit(0, 100_000_000, DEFAULT_MAX_HOST_CALLS),
  /** How long an `approve` callback may take before the call is denied. Not counted in `timeoutMs`. Default 300 000. */
  approvalTimeoutMs: limit(1, MAX_TIMER_MS, DEFAULT_APPROVAL_TIMEOUT_MS, 'milliseconds'),
  /** Bytes of the files a run returns (`result.files`) in all; files past it are left out and listed in `filesOmitted`. Default 32 MiB. */
  maxFilesBytes: limit(0, 1_000_000_000, DEFAULT_MAX_FILES_BYTES, 'bytes'),
};

/** Limits of the sandbox process pool. `minProcesses` is further capped by `maxProcesses`. */
export const POOL_LIMITS = {
  /** Sandbox processes kept warm. Default 2, or `maxProcesses` when that is lower. */
  minProcesses: limit(0, 1024, DEFAULT_MIN_PROCESSES),
  /** Sandbox processes at most, i.e. runs at once; more runs wait in line. Default max(4, 2 × cores). */
  maxProcesses: limit(1, 1024, DEFAULT_MAX_PROCESSES),
  /** An idle process above `minProcesses` exits after this long. Default 30 000. */
  idleProcessMs: limit(0, MAX_TIMER_MS, DEFAULT_IDLE_PROCESS_MS, 'milliseconds'),
  /**
   * Runs one isolate serves before it retires, each in a fresh context, all of one executor and tenant; 1 makes
   * a fresh isolate for every run. Default 100.
   */
  isolateRuns: limit(1, 1_000_000, DEFAULT_ISOLATE_RUNS),
  /** An isolate whose heap holds more than this after a run retires (MB); a later run's heap has at least its limit minus this. Default 8. */
  isolateHeapMb: limit(1, 16_384, DEFAULT_ISOLATE_HEAP_MB, 'megabytes'),
};

/** Workspaces (`executor.workspace()`): how many one executor keeps live, and how long an unused one lives. */
export const WORKSPACE_LIMITS = {
  /** Live workspaces per executor (each pins one sandbox process); one more is refused (WORKSPACE_LIMIT). Default 32. */
  maxWorkspaces: limit(1, 100_000, DEFAULT_MAX_WORKSPACES),
  /** A workspace without a run for this long is dropped, its process ended (`workspace({ idleMs })`). Default 600 000. */
  idleMs: limit(1, MAX_TIMER_MS, DEFAULT_WORKSPACE_IDLE_MS, 'milliseconds'),
};

/** Eight MiB: half the default entry cap of a store, which bounds a journal too. */
export const DEFAULT_JOURNAL_MAX_BYTES = 8 * 1024 * 1024;
/** Seven days. */
export const DEFAULT_JOURNAL_TTL_MS = 7 * 24 * 3_600_000;

/** Journals of durable runs (`run(code, { runId, durable: true })`), set per executor. */
export const JOURNAL_LIMITS = {
  /** Bytes one run's journal may hold (its code, each call's digest, each delivered result); past it the run stops. Also capped by the store's `maxEntryBytes`. Default 8 388 608. */
  journalMaxBytes: limit(1_024, 1_000_000_000, DEFAULT_JOURNAL_MAX_BYTES, 'bytes'),
  /** A journal is forgotten this long after its last write (a paused run waits at most this long). Default 604 800 000 (7 days). */
  journalTtlMs: limit(1, 315_360_000_000, DEFAULT_JOURNAL_TTL_MS, 'milliseconds'),
};

/** Limits of the MCP server (`CodeModeServer`). */
export const SERVER_LIMITS = {
  /** With search enabled, an API longer than this many characters is listed by name only in the execute description. Default 12 000. */
  inlineDeclarationChars: limit(0, 1_000_000_000, DEFAULT_INLINE_DECLARATION_CHARS, 'characters'),
  /** Characters of result text per `execute` call, value and console output together. Default 20 000. */
  maxResultChars: limit(0, 1_000_000_000, DEFAULT_MAX_RESULT_CHARS, 'characters'),
  /** Console entries streamed to the client per run as log and progress notifications. Default 1 000. */
  maxLogNotifications: limit(0, 1_000_000_000, DEFAULT_MAX_LOG_NOTIFICATIONS),
  /** Bytes of the files (`result.files`) one `execute` result carries as content; the rest are named in a note. Default 5 MiB. */
  maxResultFileBytes: limit(0, 1_000_000_000, DEFAULT_MAX_RESULT_FILE_BYTES, 'bytes'),
  /** Recent runs the inspector page keeps, with `inspector: true`. Default 50. */
  inspectorRuns: limit(1, 10_000, DEFAULT_INSPECTOR_RUNS),
};

/**
 * Fixed caps on the notices tools report while a run goes (`context.notify`; an upstream MCP server's
 * progress and log lines), as the MCP server streams them to the client of one `execute` call: a chatty or
 * hostile upstream server can neither flood that client nor grow the host's memory.
 */
export const NOTICE_CAPS = {
  /** Characters of one notice's text (a log line's data as JSON, a progress message); the rest is cut with "…". */
  maxChars: 2_000,
  /** Notices sent at once before the rate applies. */
  burst: 50,
  /** Notices per second after the burst; the rest are dropped, and the client is told so once. */
  perSecond: 20,
} as const;

/**
 * Fixed caps on what one upstream MCP server's `tools/list` may make the host read, check and print
 * (src/upstream/): a hostile or broken server gets its list cut, never unbounded work. What is cut is named
 * to the operator (`onEvent`, one line per change) and in `status().skipped`.
 */
export const UPSTREAM_CAPS = {
  /** Pages of `tools/list` followed (cursor pagination); later pages are not read. */
  maxPages: 20,
  /** Tools kept per server, in the order listed; the rest are left out. */
  maxTools: 500,
  /** Characters of one tool's input and output schemas together, as JSON; a bigger tool is left out. */
  maxSchemaChars: 50_000,
  /** Nesting of one tool's schemas (objects and arrays); a deeper tool is left out. */
  maxSchemaDepth: 32,
  /** Characters of one tool's description (its title included); the rest is cut with "…". */
  maxDescriptionChars: 2_000,
  /** Characters of all of a server's kept schemas and descriptions together; the tools past it are left out. */
  maxListChars: 1_000_000,
} as const;

/** Limits of the streamable HTTP front (`serveHttp`). `port` has no default: it must be given. */
export const HTTP_LIMITS = {
  /** Sessions open at once. Default 100. */
  maxSessions: limit(1, 1_000_000, DEFAULT_MAX_SESSIONS),
  /** A session without an open request for this long is closed. Default 30 minutes. */
  sessionIdleMs: limit(1, MAX_TIMER_MS, DEFAULT_SESSION_IDLE_MS, 'milliseconds'),
  /**
   * A session whose event stream (the client's GET) closed, with no request since, is closed after this: its
   * client is gone (e.g. the SDK's `client.close()` without DELETE). A live client reconnects its stream
   * sooner. Default 10 000.
   */
  sessionGoneMs: limit(1, MAX_TIMER_MS, DEFAULT_SESSION_GONE_MS, 'milliseconds'),
  /** TCP connections open at once; more are refused (closed at once). Default 512. */
  maxConnections: limit(1, 1_000_000, DEFAULT_MAX_CONNECTIONS),
  /** Time to receive a request's headers; a slower client gets 408. At most `requestTimeoutMs`. Default 10 000. */
  headersTimeoutMs: limit(1, MAX_TIMER_MS, DEFAULT_HEADERS_TIMEOUT_MS, 'milliseconds'),
  /** Time to receive a whole request with its body (the answer may take longer). Default 30 000. */
  requestTimeoutMs: limit(1, MAX_TIMER_MS, DEFAULT_REQUEST_TIMEOUT_MS, 'milliseconds'),
};

/** A TCP port to listen on; 0 picks a free one. */
export const PORT = range(0, 65_535, 'a TCP port');

/** An options type with one optional number per row of a table; each property keeps the row's doc comment. */
export type LimitOptions<T> = { [K in keyof T]?: number };

/** Every run limit, resolved to a number. */
export type ResolvedRunLimits = { [K in keyof typeof RUN_LIMITS]: number };
