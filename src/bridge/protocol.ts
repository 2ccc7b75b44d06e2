// The messages between the host process and a sandbox process, and between the sandbox process and the
// harness inside an isolate. Both sides import these types from here; there is no second copy.
// Values inside messages are always bridge-encoded strings (see codec.ts), never live objects.
//
// What a sandbox process sends is stated once as a shape (shape.ts): its types are inferred from it and the
// host checks every message against it (validate.ts) before anything reads it.
import { amount, int, list, literal, object, oneOf, optional, string, text, union, type Infer } from './shape.js';

/**
 * The dialect of the messages below. Change it with any change to them. The host tells a sandbox process
 * its version at spawn and checks the one the process reports when ready, so neither side ever talks to a
 * process of another codemode version (say, one spawned from files upgraded under a running host).
 */
export const PROTOCOL_VERSION = 6;

/** Every way a run can fail, stable and distinct. */
export const ERROR_KINDS = ['syntax', 'runtime', 'timeout', 'memory', 'cancelled', 'crashed', 'denied', 'host', 'invalid_input', 'output_limit', 'paused', 'diverged'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];
/** The kinds a sandbox process may report: only the host pauses a durable run or finds that it diverged. */
const SANDBOX_ERROR_KINDS = ['syntax', 'runtime', 'timeout', 'memory', 'cancelled', 'crashed', 'denied', 'host', 'invalid_input', 'output_limit'] as const satisfies readonly ErrorKind[];

/** The kinds a rejected host call can carry into the isolate. */
export type CallErrorKind = 'host' | 'denied' | 'invalid_input' | 'runtime';

export const LOG_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Fixed bounds of the protocol, beside the run's own limits (`maxValueChars`, `maxLogChars`, `maxHostCalls`). */
export const BRIDGE_CAPS = {
  /** A run id (the host makes UUIDs). */
  runIdChars: 64,
  /** A run's affinity token (the host makes them, see runtime/affinity.ts). */
  affinityChars: 64,
  /** A tool name as called (registered full names are at most 257); the harness cuts longer ones. */
  callNameChars: 512,
  /** An error's name (`TypeError`, or whatever the model set). */
  errorNameChars: 256,
  /** Line and column numbers. */
  position: 2 ** 31 - 1,
  /** Room for the marker line that says the console output was cut (see logLimitText). */
  logMarkerChars: 128,
} as const;

/**
 * The console line that says the rest of a run's output was dropped. Self-contained: the harness evaluates
 * its source text in the isolate, and the host writes the same line when it has to cut the output itself.
 */
export function logLimitText(maxLogChars: number): string {
  return '[codemode] console output reached its limit of ' + maxLogChars + ' characters; the rest was dropped.';
}

/**
 * Workflows: `codemode.<namespace>.<name>(input)` calls a workflow, except the names in `manage`, which are
 * ordinary tools; the run message lists which names are workflows. A workflow call is an ordinary host call (the pipeline
 * validates its input against the workflow's schema) whose answer is a `WorkflowCode`: the harness
 * evaluates `source` in the run's own context once per `key` and calls the `run` it returns with `input`.
 */
export const WORKFLOWS = { namespace: 'workflows', manage: ['save', 'list', 'get', 'delete'] } as const;

/** The answer to a workflow call: what the harness runs, and the input as the host validated it. */
export interface WorkflowCode {
  /** `<name>@<version>`: compiled once per run. */
  key: string;
  /** An expression: a function that returns the workflow's `run`. */
  source: string;
  input: unknown;
}

/**
 * A module a run imports (src/modules): `key` names one exact bundle. The host sends `source` the first
 * time a process gets that key; the process keeps it, compiled once, for the runs after.
 */
export interface ModuleLoad {
  name: string;
  key: string;
  source?: string;
}

/** The global through which model code reaches the run's modules (normalization rewrites imports to it). */
export const MODULES_GLOBAL = '__codemode_import';
/** Module code is compiled under `module:<name>`: frames in a stack say which module they are in. */
export const MODULE_FILENAME_PREFIX = 'module:';

/** Limits the sandbox enforces for one run (the host enforces the wall-clock deadline itself). */
export interface SandboxLimits {
  memoryLimitMb: number;
  maxLogChars: number;
  maxValueChars: number;
  maxDepth: number;
  maxHostCalls: number;
}

/**
 * A durable run (src/journal/) is deterministic by construction: `Math.random` is seeded with `seed` (32 hex
 * digits) and the clock (`Date.now()`, `new Date()`, `Intl.DateTimeFormat#format()`) reads `clock`, which moves
 * only when results are delivered, to the `at` of their message.
 */
export interface DurableClock {
  seed: string;
  clock: number;
}

/** A host call's answer as it travels to the isolate. */
export type CallResult =
  | { callId: number; ok: true; value: string }
  | { callId: number; ok: false; error: { kind: CallErrorKind; name: string; message: string; hint?: string } };

export type HostToSandbox =
  | {
      type: 'run';
      runId: string;
      /** Compiled as a script whose completion value is the async function to call. */
      source: string;
      tools: string[];
      /**
       * The names among `tools` that are workflows (their answers are code the harness runs). Said by the
       * host, never guessed from the namespace: a plain tool's answer must never run as code.
       */
      workflows: string[];
      limits: SandboxLimits;
      budgetMs: number;
      /**
       * A workspace run: it runs in the context the process kept from the previous workspace run (a fresh
       * one if none), its top-level declarations persist there, and the context is kept after a clean end.
       */
      keep?: boolean;
      /**
       * Whose run this is (one executor and tenant), as an opaque token: a run gets a context in an isolate
       * that served only runs of the same affinity, or in a fresh one. Never a name the host uses elsewhere.
       */
      affinity: string;
      /** The modules the code imports, loaded into its context before it runs; absent when it imports none. */
      modules?: ModuleLoad[];
      /** A durable run: seeded random, journaled clock, and an `idle` message after every entry into the isolate. */
      durable?: DurableClock;
    }
  | { type: 'results'; runId: string; results: CallResult[]; budgetMs: number; /** A durable run's clock from now on. */ at?: number }
  | { type: 'stop'; runId: string; reason: 'timeout' | 'cancelled' };

/** What the harness calls back with, synchronously, from inside the isolate. */
export type HarnessSignal =
  /** The host calls made since the last `calls`, as three parallel lists: ids, names, encoded inputs. */
  | ['calls', number[], string[], string[]]
  | ['log', LogLevel, string]
  | ['end', true, string, string[]]
  | ['end', false, ErrorData, string[]];

/** The file name model code is compiled under; stack frames with it point into the model's code. */
export const CODE_FILENAME = 'code.js';
/** The file name of the harness script; its frames are removed from stacks the model sees. */
export const HARNESS_FILENAME = 'codemode-harness.js';

const position = int(1, BRIDGE_CAPS.position);
const callName = string(BRIDGE_CAPS.callNameChars);

const logEntry = object({ level: oneOf(LOG_LEVELS), text: text({ limit: 'maxLogChars', plus: BRIDGE_CAPS.logMarkerChars }) });
export type LogEntry = Infer<typeof logEntry>;

/** A failure as the sandbox reports it; the host maps positions and adds the hint and the code frame. */
const errorData = object({
  kind: oneOf(SANDBOX_ERROR_KINDS),
  name: text(BRIDGE_CAPS.errorNameChars),
  message: text('maxValueChars'),
  /** Frames refer to the model's code (`code.js:LINE:COLUMN`); harness frames are removed. */
  stack: optional(text('maxValueChars')),
  /** 1-based line and column in the model's code, when known. */
  line: optional(position),
  column: optional(position),
  /** Set by a tool (ToolError) or by the bridge; otherwise the host picks one by kind. */
  hint: optional(text('maxValueChars')),
});
export type ErrorData = Infer<typeof errorData>;
/** A failure as the host reports it: any kind, those only the host gives included. */
export type HostErrorData = Omit<ErrorData, 'kind'> & { kind: ErrorKind };

const hostCall = object({
  callId: int(1, 'maxHostCalls'),
  name: callName,
  /** Bridge-encoded input. */
  input: string('maxValueChars'),
});
export type HostCallData = Infer<typeof hostCall>;

const sandboxStats = object({
  cpuMs: amount(),
  /** Host calls still unanswered when the code returned or threw. */
  pendingCalls: list(callName, 'maxHostCalls'),
  /** Which run of its isolate this was (1: a fresh isolate). */
  isolateRun: int(1, Number.MAX_SAFE_INTEGER),
});
export type SandboxStats = Infer<typeof sandboxStats>;

/** `kept`: a workspace run whose context the process kept for the next run (absent: its variables are gone). */
const runEnd = union('ok', [
  object({ ok: literal(true), value: string('maxValueChars'), stats: sandboxStats, kept: optional(literal(true)) }),
  object({ ok: literal(false), error: errorData, stats: sandboxStats, kept: optional(literal(true)) }),
]);
export type RunEnd = Infer<typeof runEnd>;

/** Everything a sandbox process sends to the host. */
export const sandboxToHost = union('type', [
  /**
   * Sent at start and after each run, as the process prepares what the next run needs; `protocol` is
   * PROTOCOL_VERSION. `spare`: a fresh isolate is prepared (a run of any affinity starts at once). `affinity`:
   * a context is prepared in the isolate that served that affinity (a run of it starts at once).
   */
  object({ type: literal('ready'), protocol: int(0, Number.MAX_SAFE_INTEGER), spare: optional(literal(true)), affinity: optional(string(BRIDGE_CAPS.affinityChars)) }),
  /** Sent on receiving a run, before any of its code runs: a process lost before this never ran the code. */
  object({ type: literal('started'), runId: string(BRIDGE_CAPS.runIdChars) }),
  object({
    type: literal('out'),
    runId: string(BRIDGE_CAPS.runIdChars),
    calls: list(hostCall, 'maxHostCalls'),
    // Every entry costs at least one character of the log budget; the harness adds one marker when it cuts.
    logs: list(logEntry, { limit: 'maxLogChars', plus: 1 }),
    end: optional(runEnd),
    /** A durable run: the entry into the isolate that sent this is over, and the code waits on host calls only. */
    idle: optional(literal(true)),
  }),
]);
export type SandboxToHost = Infer<typeof sandboxToHost>;
