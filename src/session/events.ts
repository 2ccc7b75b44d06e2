// The events of the step-by-step loop. `executor.run()` returns the terminal event itself, so a run's
// result and a session's terminal event are the same object (its types are in src/results/types.ts).
import type { CallApproval, RunCompleted, RunFailed } from '../results/types.js';

export type { CallApproval, ErrorKind, LogEntry, LogLevel, OmittedFile, RunCompleted, RunError, RunFailed, RunFile, RunResult, RunStats } from '../results/types.js';

/**
 * Model code called a host tool. Answer with `session.submitResult(callId, value)`,
 * `session.submitError(callId, error)`, or hand it to the registered tool with `session.callTool(callId)`.
 * Unknown tools, inputs that fail the schema and tools marked `approval: 'deny'` never get here: the
 * pipeline rejects them in the isolate itself.
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
   * approval and no callback decided; the caller decides (`run()` denies it; `callTool` means yes).
   */
  approval: CallApproval;
  /** Aborted when the run ends while calls are still open (one signal for all calls of a run). */
  signal: AbortSignal;
}

export type SessionEvent = HostCallRequest | RunCompleted | RunFailed;
