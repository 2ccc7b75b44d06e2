// The public shape of what a run produces: its result, its error and its console lines. Defined here, by the
// library, and not by the wire protocol (src/bridge/protocol.ts), so the protocol can change without
// changing the API; the session translates one into the other.

/** Every way a run can fail, stable and distinct. */
export type ErrorKind =
  | 'syntax'
  | 'runtime'
  | 'timeout'
  | 'memory'
  | 'cancelled'
  | 'crashed'
  | 'denied'
  | 'host'
  | 'invalid_input'
  | 'output_limit'
  /** A durable run stopped to wait for a person's approval (`paused` on the result says which calls). */
  | 'paused'
  /** A durable run's code made another call than its journal records at that point. */
  | 'diverged';

/**
 * How a host call was admitted: `auto` (the tool needs no approval), `approved` (an approver allowed it),
 * or `ask` (it needs approval and no approver decided: a step-mode caller answers it).
 */
export type CallApproval = 'auto' | 'approved' | 'ask';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  level: LogLevel;
  text: string;
}

/** Why a run failed, as data the model can act on. */
export interface RunError {
  kind: ErrorKind;
  name: string;
  message: string;
  /** Frames refer to the model's code (`code.js:LINE:COLUMN`, lines as sent). */
  stack?: string;
  /** 1-based line and column in the model's code, when known. */
  line?: number;
  column?: number;
  /** What to do about it, for the model. */
  hint?: string;
  /** The model's line at `line` with a caret under `column`. */
  frame?: string;
}

export interface RunStats {
  /** From `start()` to the end, waiting for a sandbox process included. */
  durationMs: number;
  /** Time spent waiting for a free sandbox process. */
  queueMs: number;
  /** CPU time of the run's isolate (0 when the process was lost). */
  cpuMs: number;
  /** Host calls the model's code made. */
  hostCalls: number;
  /**
   * Which run of its isolate this was: 1 in a fresh isolate, more when the isolate served earlier runs of the
   * same executor and tenant (each in a fresh context). Absent when no isolate took the run.
   */
  isolateRun?: number;
}

/** A file a run returns: what it left in an in-memory mount of the fs capability, say. */
export interface RunFile {
  /** Where the run wrote it, e.g. `/output/chart.svg`. */
  path: string;
  /** Bytes. */
  size: number;
  /** From the file's extension (`image/svg+xml`), or as the tool that returned it said. */
  contentType: string;
  bytes: Uint8Array;
}

/** A file left out of `files` because the run's files passed `maxFilesBytes` together. */
export interface OmittedFile {
  path: string;
  size: number;
}

/** Present only when the run returns files (`files`) or had to leave some out (`filesOmitted`). */
export interface RunFiles {
  files?: RunFile[];
  filesOmitted?: OmittedFile[];
}

export interface RunCompleted extends RunFiles {
  type: 'completed';
  ok: true;
  value: unknown;
  logs: LogEntry[];
  stats: RunStats;
}

/** A call a paused durable run waits on: decide it in `executor.resume(runId, { decisions: { [callId]: … } })`. */
export interface PendingCall {
  callId: number;
  /** Full tool name, e.g. `fs.writeFile`. */
  name: string;
  input: unknown;
}

/** What a paused durable run waits for. */
export interface PausedRun {
  runId: string;
  /** Every call waiting for a decision (all of a Promise.all), in call order. */
  pending: PendingCall[];
}

export interface RunFailed extends RunFiles {
  type: 'failed';
  ok: false;
  error: RunError;
  logs: LogEntry[];
  stats: RunStats;
  /** Set when `error.kind` is `paused`. */
  paused?: PausedRun;
}

export type RunResult = RunCompleted | RunFailed;
