// Executor and run options. Their limits, ranges and defaults are rows of src/limits/table.ts; this file
// resolves them once, in the constructor (and per run for limits), into CodemodeErrors that show the value.
import type { LogEntry } from '../bridge/protocol.js';
import { FUNCTION, checked, resolveTable } from '../limits/rules.js';
import { RUN_LIMITS, type LimitOptions, type ResolvedRunLimits } from '../limits/table.js';
import type { PoolOptions } from '../runtime/options.js';
import type { Capability, ToolDefinition } from '../tools/define.js';

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

/** Limits that can be set per executor and overridden per run: one optional number per row of `RUN_LIMITS`. */
export type RunLimits = LimitOptions<typeof RUN_LIMITS>;

export interface ExecutorOptions extends RunLimits, PoolOptions {
  tools?: readonly ToolDefinition[];
  capabilities?: readonly Capability[];
  /** Decides calls to tools marked `approval: 'ask'`. Without it, such calls are denied in `run()`. */
  approve?: Approver;
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

export type ResolvedLimits = ResolvedRunLimits;

/** True when `options` sets any limit (most runs set none and reuse the executor's resolved limits). */
export function hasLimits(options: RunLimits): boolean {
  for (const name in RUN_LIMITS) if ((options as Record<string, unknown>)[name] !== undefined) return true;
  return false;
}

/** Executor limits over the defaults, then run limits over those. */
export function resolveLimits(base: RunLimits | undefined, override: RunLimits | undefined): ResolvedLimits {
  return resolveTable(RUN_LIMITS, [base, override]);
}

export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined) checked(name, FUNCTION, value);
}
