// Executor and run options: their defaults as named constants, and one validation that turns a bad option
// into a CodemodeError that shows the bad value. Resolved once, in the constructor (and per run for limits).
import { availableParallelism } from 'node:os';
import type { LogEntry } from '../bridge/protocol.js';
import { CodemodeError, describeValue } from '../errors.js';
import type { ResolvedPoolOptions } from '../runtime/options.js';
import type { Capability, ToolDefinition } from '../tools/define.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MEMORY_LIMIT_MB = 128;
export const DEFAULT_MAX_LOG_CHARS = 64_000;
export const DEFAULT_MAX_VALUE_CHARS = 8_000_000;
export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_HOST_CALLS = 10_000;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 300_000;
export const DEFAULT_MIN_PROCESSES = 2;
export const DEFAULT_MAX_PROCESSES = Math.max(4, 2 * availableParallelism());
export const DEFAULT_IDLE_PROCESS_MS = 30_000;

/** What an approval callback is asked about. */
export interface ApprovalRequest {
  runId: string;
  callId: number;
  /** Full tool name, e.g. `fs.writeFile`. */
  name: string;
  /** The input after schema validation. */
  input: unknown;
  description: string;
  /** Aborted when the question is moot: the run ended, or `approvalTimeoutMs` passed. */
  signal: AbortSignal;
}

/** `true` allows the call; `false` or `{ allowed: false, reason }` refuses it (the reason reaches the model). */
export type ApprovalDecision = boolean | { allowed: boolean; reason?: string };

export type Approver = (request: ApprovalRequest) => ApprovalDecision | Promise<ApprovalDecision>;

/** Limits that can be set per executor and overridden per run. */
export interface RunLimits {
  /** Wall-clock time for the whole run, host calls included, approval waits excluded. Default 30 000. */
  timeoutMs?: number;
  /** Heap limit of the run's isolate, in MB (at least 8). Default 128. */
  memoryLimitMb?: number;
  /** Console output kept per run, in characters; the rest is dropped with a marker. Default 64 000. */
  maxLogChars?: number;
  /** Largest encoded value that may cross the bridge (call input, tool result, return value), in characters. Default 8 000 000. */
  maxValueChars?: number;
  /** Deepest nesting of a value that may cross the bridge. Default 64. */
  maxDepth?: number;
  /** Host calls allowed in one run. Default 10 000. */
  maxHostCalls?: number;
  /** How long an `approve` callback may take before the call is denied. Not counted in `timeoutMs`. Default 300 000. */
  approvalTimeoutMs?: number;
}

export interface ExecutorOptions extends RunLimits {
  tools?: readonly ToolDefinition[];
  capabilities?: readonly Capability[];
  /** Decides calls to tools marked `approval: 'ask'`. Without it, such calls are denied in `run()`. */
  approve?: Approver;
  /** Sandbox processes kept warm. Default 2 (one runs while the other prepares its next isolate). */
  minProcesses?: number;
  /** Sandbox processes at most, i.e. runs at once; more runs wait in line. Default max(4, 2 × cores). */
  maxProcesses?: number;
  /** An idle process above `minProcesses` exits after this long. Default 30 000. */
  idleProcessMs?: number;
  /** Type-check every run's code against the declarations before it runs. Default false. */
  typecheck?: boolean;
}

export interface RunOptions extends RunLimits {
  /** Type-check the code against the declarations first; type errors fail the run as `syntax`. Default: the executor's. */
  typecheck?: boolean;
  /** Overrides the executor's `approve` for this run. */
  approve?: Approver;
  /** Aborting it cancels the run (kind `cancelled`). */
  signal?: AbortSignal;
  /** Called with each console entry as soon as the sandbox reports it. */
  onLog?: (entry: LogEntry) => void;
}

export type ResolvedLimits = Required<RunLimits>;

const LIMIT_RULES: { [K in keyof ResolvedLimits]: { min: number; max: number; default: number } } = {
  timeoutMs: { min: 1, max: 2_147_483_647, default: DEFAULT_TIMEOUT_MS },
  memoryLimitMb: { min: 8, max: 16_384, default: DEFAULT_MEMORY_LIMIT_MB },
  maxLogChars: { min: 0, max: 1_000_000_000, default: DEFAULT_MAX_LOG_CHARS },
  maxValueChars: { min: 16, max: 500_000_000, default: DEFAULT_MAX_VALUE_CHARS },
  maxDepth: { min: 1, max: 10_000, default: DEFAULT_MAX_DEPTH },
  maxHostCalls: { min: 0, max: 100_000_000, default: DEFAULT_MAX_HOST_CALLS },
  approvalTimeoutMs: { min: 1, max: 2_147_483_647, default: DEFAULT_APPROVAL_TIMEOUT_MS },
};

/** True when `options` sets any limit (most runs set none and reuse the executor's resolved limits). */
export function hasLimits(options: RunLimits): boolean {
  for (const name in LIMIT_RULES) if ((options as Record<string, unknown>)[name] !== undefined) return true;
  return false;
}

/** Executor limits over the defaults, then run limits over those. */
export function resolveLimits(base: RunLimits | undefined, override: RunLimits | undefined): ResolvedLimits {
  const resolved = {} as ResolvedLimits;
  for (const name of Object.keys(LIMIT_RULES) as Array<keyof ResolvedLimits>) {
    const rule = LIMIT_RULES[name];
    const value = override?.[name] ?? base?.[name] ?? rule.default;
    resolved[name] = integerIn(name, value, rule.min, rule.max);
  }
  return resolved;
}

export function resolvePoolOptions(options: ExecutorOptions): ResolvedPoolOptions {
  const maxProcesses = integerIn('maxProcesses', options.maxProcesses ?? DEFAULT_MAX_PROCESSES, 1, 1024);
  const minProcesses = integerIn('minProcesses', options.minProcesses ?? Math.min(DEFAULT_MIN_PROCESSES, maxProcesses), 0, maxProcesses);
  const idleProcessMs = integerIn('idleProcessMs', options.idleProcessMs ?? DEFAULT_IDLE_PROCESS_MS, 0, 2_147_483_647);
  return { minProcesses, maxProcesses, idleProcessMs };
}

export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be a function, got ${describeValue(value)}`);
  }
}

function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be an integer from ${min} to ${max}, got ${describeValue(value)}`);
  }
  return value;
}
