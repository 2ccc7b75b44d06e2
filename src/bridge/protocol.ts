// The messages between the host process and a sandbox process, and between the sandbox process and the
// harness inside an isolate. Both sides import these types from here; there is no second copy.
// Values inside messages are always bridge-encoded strings (see codec.ts), never live objects.

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
  | 'output_limit';

/** The kinds a rejected host call can carry into the isolate. */
export type CallErrorKind = 'host' | 'denied' | 'invalid_input' | 'runtime';

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface LogEntry {
  level: LogLevel;
  text: string;
}

/** Limits the sandbox enforces for one run (the host enforces the wall-clock deadline itself). */
export interface SandboxLimits {
  memoryLimitMb: number;
  maxLogChars: number;
  maxValueChars: number;
  maxDepth: number;
  maxHostCalls: number;
}

/** A failure as the sandbox reports it; the host maps positions and adds the hint and the code frame. */
export interface ErrorData {
  kind: ErrorKind;
  name: string;
  message: string;
  /** Frames refer to the model's code (`code.js:LINE:COLUMN`); harness frames are removed. */
  stack?: string;
  /** 1-based line and column in the model's code, when known. */
  line?: number;
  column?: number;
  /** Set by a tool (ToolError) or by the bridge; otherwise the host picks one by kind. */
  hint?: string;
}

/** A host call's answer as it travels to the isolate. */
export type CallResult =
  | { callId: number; ok: true; value: string }
  | { callId: number; ok: false; error: { kind: CallErrorKind; name: string; message: string; hint?: string } };

export interface HostCallData {
  callId: number;
  name: string;
  /** Bridge-encoded input. */
  input: string;
}

export type RunEnd =
  | { ok: true; value: string; stats: SandboxStats }
  | { ok: false; error: ErrorData; stats: SandboxStats };

export interface SandboxStats {
  cpuMs: number;
  /** Host calls still unanswered when the code returned or threw. */
  pendingCalls: string[];
}

export type HostToSandbox =
  | {
      type: 'run';
      runId: string;
      /** Compiled as a script whose completion value is the async function to call. */
      source: string;
      tools: string[];
      limits: SandboxLimits;
      budgetMs: number;
    }
  | { type: 'results'; runId: string; results: CallResult[]; budgetMs: number }
  | { type: 'stop'; runId: string; reason: 'timeout' | 'cancelled' };

export type SandboxToHost =
  /** Sent at start and after each run, once the next run's isolate is prepared. */
  | { type: 'ready' }
  | { type: 'out'; runId: string; calls: HostCallData[]; logs: LogEntry[]; end?: RunEnd };

/** What the harness calls back with, synchronously, from inside the isolate. */
export type HarnessSignal =
  | ['call', number, string, string]
  | ['log', LogLevel, string]
  | ['end', true, string, string[]]
  | ['end', false, ErrorData, string[]];

/** The file name model code is compiled under; stack frames with it point into the model's code. */
export const CODE_FILENAME = 'code.js';
/** The file name of the harness script; its frames are removed from stacks the model sees. */
export const HARNESS_FILENAME = 'codemode-harness.js';
