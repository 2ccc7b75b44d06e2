// The life of runs and host calls, published on `node:diagnostics_channel` (as undici and Node's http do),
// for tracing, metrics and inspectors. Publishing costs one `hasSubscribers` check when nobody listens.
// Subscribers must not throw and must not change what they are given: the objects are the run's own.
//
//   codemode:run:start   RunObservation, when a run is started (in the caller's async context)
//   codemode:run:end     the same object, with the end fields set
//   codemode:call:start  CallObservation, when a host call arrives from the code; its stores (bindStore)
//                        are entered for the whole call, the tool's `run` included
//   codemode:call:end    the same object, with the end fields set
//   codemode:log         LogObservation, for each console line of a run
import { channel } from 'node:diagnostics_channel';
import type { CallApproval, ErrorKind, LogLevel, RunResult } from '../results/types.js';

export const runStart = channel('codemode:run:start');
export const runEnd = channel('codemode:run:end');
export const callStart = channel('codemode:call:start');
export const callEnd = channel('codemode:call:end');
export const log = channel('codemode:log');

/** Published on `codemode:run:start`, then again, completed, on `codemode:run:end`. */
export interface RunObservation {
  readonly runId: string;
  /** The code as sent. */
  readonly code: string;
  // Set at the end:
  /** The run's result, as `run()` returns it. */
  result?: RunResult;
  /** `completed`, or the failed run's error kind. */
  outcome?: 'completed' | ErrorKind;
  durationMs?: number;
  hostCalls?: number;
}

/** Published on `codemode:call:start`, then again, completed, on `codemode:call:end`. */
export interface CallObservation {
  readonly runId: string;
  readonly callId: number;
  /** The full name the code called (which may not be a tool). */
  readonly name: string;
  // Set as the call goes through the pipeline:
  /** The input after schema validation; unset when it did not get that far. */
  input?: unknown;
  /** How the policy decided; unset when the call failed before (unknown tool, bad input). */
  approval?: CallApproval | 'denied';
  // Set at the end:
  /** `ok`, or the error kind the code sees. */
  outcome?: 'ok' | ErrorKind;
  /** The value sent to the code (before encoding), when `ok`. */
  value?: unknown;
  /** What the code sees, when not `ok`. */
  error?: { kind: ErrorKind; name: string; message: string };
  durationMs?: number;
}

/** Published on `codemode:log`. */
export interface LogObservation {
  readonly runId: string;
  readonly level: LogLevel;
  readonly text: string;
}
