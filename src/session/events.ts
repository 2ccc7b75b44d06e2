// What a run produces: the events of the step-by-step loop and the final result. `executor.run()` returns
// the final event itself, so a run's result and a session's terminal event are the same object.
import type { ErrorData, LogEntry } from '../bridge/protocol.js';

export type { ErrorKind, LogEntry, LogLevel } from '../bridge/protocol.js';

/** Why a run failed, as data the model can act on. */
export interface RunError extends ErrorData {
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
}

export interface RunCompleted {
  type: 'completed';
  ok: true;
  value: unknown;
  logs: LogEntry[];
  stats: RunStats;
}

export interface RunFailed {
  type: 'failed';
  ok: false;
  error: RunError;
  logs: LogEntry[];
  stats: RunStats;
}

export type RunResult = RunCompleted | RunFailed;

/**
 * Model code called a host tool. Answer with `session.submitResult(callId, value)` or
 * `session.submitError(callId, error)`. Unknown tools, inputs that fail the schema and tools marked
 * `approval: 'deny'` never get here: the session rejects them in the isolate itself.
 */
export interface HostCallRequest {
  type: 'host_call';
  callId: number;
  /** Full tool name, e.g. `fs.readFile`. */
  name: string;
  /** The input after schema validation (zod's output: defaults applied). */
  input: unknown;
  /**
   * `auto`: the tool needs no approval. `approved`: the `approve` callback allowed it. `ask`: the tool needs
   * approval and no callback decided; the caller decides (`run()` denies it).
   */
  approval: 'auto' | 'approved' | 'ask';
  /** Aborted when the run ends while calls are still open (one signal for all calls of a run). */
  signal: AbortSignal;
}

export type SessionEvent = HostCallRequest | RunCompleted | RunFailed;
