// Executor and run options. Their limits, ranges and defaults are rows of src/limits/table.ts; this file
// resolves them once, in the constructor (and per run for limits), into CodemodeErrors that show the value.
import type { LogEntry } from '../bridge/protocol.js';
import { CodemodeError, describeValue } from '../errors.js';
import { FUNCTION, TEXT, checked, optional, resolveTable } from '../limits/rules.js';
import { JOURNAL_LIMITS, RUN_LIMITS, WORKSPACE_LIMITS, type LimitOptions, type ResolvedRunLimits } from '../limits/table.js';
import { POOL_OPTION_NAMES, resolveRuntimeOptions, type PoolOptions, type ResolvedRuntimeOptions } from '../runtime/options.js';
import type { SandboxRuntime } from '../runtime/runtime.js';
import type { Approver } from '../pipeline/approval.js';
import type { Interceptor } from '../pipeline/call.js';
import type { Storage } from '../storage/storage.js';
import type { Capability, ToolDefinition } from '../tools/define.js';
import type { CallNotice } from '../pipeline/call.js';

export type { CallNotice };

export type { ApprovalDecision, ApprovalRequest, Approver } from '../pipeline/approval.js';
import type { ApprovalDecision } from '../pipeline/approval.js';

/** Limits that can be set per executor and overridden per run: one optional number per row of `RUN_LIMITS`. */
export type RunLimits = LimitOptions<typeof RUN_LIMITS>;

/** Limits of durable runs' journals, per executor: one optional number per row of `JOURNAL_LIMITS`. */
export type JournalOptions = LimitOptions<typeof JOURNAL_LIMITS>;

export interface ExecutorOptions extends RunLimits, PoolOptions, JournalOptions {
  tools?: readonly ToolDefinition[];
  capabilities?: readonly Capability[];
  /** Decides calls to tools marked `approval: 'ask'`. Without it, such calls are denied in `run()`. */
  approve?: Approver;
  /**
   * Sandbox processes to run on, shared with other executors. Closing this executor leaves it open. Without
   * it, the executor makes its own from `minProcesses`, `maxProcesses` and `idleProcessMs` and closes it with
   * itself; beside a shared runtime those three are refused.
   */
  runtime?: SandboxRuntime;
  /** Wrap every host call of every run (see src/pipeline/call.ts); the first is the outermost. */
  interceptors?: readonly Interceptor[];
  /** Type-check every run's code against the declarations before it runs. Default false. */
  typecheck?: boolean;
  /** Live workspaces at most (`executor.workspace()`), each with a sandbox process of its own. Default 32. */
  maxWorkspaces?: number;
  /**
   * Where workflows (and artifacts) live: a `FileStorage` or `RedisStorage` from `codemode/storage`. With it,
   * the workflows saved there are `codemode.workflows.<name>(input)` in every run, in `declarations()`,
   * `search()` and `check()`, and `executor.workflows` manages them. Default: none (no workflows).
   */
  storage?: Storage;
  /**
   * npm packages model code may import (`import Papa from 'papaparse'`), each installed in the host project.
   * Bundled for the sandbox and tried there on first use (or `warmup()`): a package that needs Node (`fs`,
   * `process`, native code) or fails to load is refused then with MODULE_REFUSED. Default: none.
   */
  modules?: readonly string[];
  /** The folder `modules` are looked up from, as Node would from there. Default: `process.cwd()`. */
  moduleRoot?: string;
}

export interface RunOptions extends RunLimits {
  /** Type-check the code against the declarations first; type errors fail the run as `syntax`. Default: the executor's. */
  typecheck?: boolean;
  /** Overrides the executor's `approve` for this run. */
  approve?: Approver;
  /** Wrap this run's host calls, inside the executor's interceptors. */
  interceptors?: readonly Interceptor[];
  /** Aborting it cancels the run (kind `cancelled`). */
  signal?: AbortSignal;
  /** Called with each console entry as soon as the sandbox reports it. */
  onLog?: (entry: LogEntry) => void;
  /**
   * Called with what a tool reports while it runs (`context.notify`: progress, log lines; an upstream MCP
   * tool's own notifications), tagged with the call. Tools only get `context.notify` when this is set.
   */
  onNotice?: (notice: CallNotice) => void;
  /**
   * Who the run is for (a user, a conversation). When runs wait for a sandbox process, the line is fair
   * between tenants: a tenant that sends many slow runs waits behind its own runs, not everyone else's.
   * A tenant is the same across executors that share a runtime; runs without one count as one tenant per
   * executor. The MCP server uses the MCP session id.
   */
  tenant?: string;
  /**
   * The run's id (1 to 64 of `A-Z a-z 0-9 . _ : -`), as tools and observers see it. Default: a new UUID.
   * A durable run needs one: it names the run's journal.
   */
  runId?: string;
  /**
   * Keep a journal of the run in the executor's `storage`, so it survives a crash or a wait for a person:
   * running the same `runId` again (or `executor.resume(runId)`) replays what the journal holds without
   * calling any tool, and goes on live from there. Not in workspaces. Default false.
   */
  durable?: boolean;
}

/** `executor.resume(runId, options)`: a run's options, without the id and `durable` (it is both). */
export interface ResumeOptions extends Omit<RunOptions, 'runId' | 'durable'> {
  /**
   * Decisions on the calls a paused run waits on, by call id (`result.paused.pending[i].callId`): `true`
   * allows the call, `false` or `{ allowed: false, reason }` refuses it (the reason reaches the code).
   * A pending call without a decision pauses the run again.
   */
  decisions?: Readonly<Record<number, ApprovalDecision>>;
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

/** The options of the runtime an executor makes for itself; with a shared `runtime`, setting them is a mistake. */
export function ownRuntimeOptions(options: ExecutorOptions, limits: ResolvedLimits): ResolvedRuntimeOptions | undefined {
  if (options.runtime !== undefined) {
    const set = POOL_OPTION_NAMES.find((name) => options[name] !== undefined);
    if (set) throw new CodemodeError('INVALID_OPTION', `Executor: \`${set}\` belongs to the shared \`runtime\`; set it in \`new SandboxRuntime()\``);
    return undefined;
  }
  const { minProcesses, maxProcesses, idleProcessMs, isolateRuns, isolateHeapMb } = options;
  return resolveRuntimeOptions({ minProcesses, maxProcesses, idleProcessMs, isolateRuns, isolateHeapMb, memoryLimitMb: limits.memoryLimitMb });
}

/** Longest tenant name: a key in the pool's line, not a place for data. */
const MAX_TENANT_CHARS = 1000;

export function checkTenant(tenant: unknown): void {
  if (tenant === undefined) return;
  checked('tenant', TEXT, tenant);
  if ((tenant as string).length > MAX_TENANT_CHARS) {
    throw new CodemodeError('INVALID_OPTION', `expected \`tenant\` to be at most ${MAX_TENANT_CHARS} characters, got ${(tenant as string).length}`);
  }
}

export function checkFunction(name: string, value: unknown): void {
  if (value !== undefined) checked(name, FUNCTION, value);
}

/** An `interceptors` option: undefined, or an array of functions (returned as a frozen copy). */
export function checkInterceptors(value: unknown): readonly Interceptor[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new CodemodeError('INVALID_OPTION', `expected \`interceptors\` to be an array of functions, got ${describeValue(value)}`);
  value.forEach((interceptor, index) => checkFunction(`interceptors[${index}]`, interceptor));
  return Object.freeze([...value] as Interceptor[]);
}

export function resolveJournalLimits(options: ExecutorOptions): { [K in keyof typeof JOURNAL_LIMITS]: number } {
  return resolveTable(JOURNAL_LIMITS, [options]);
}

export function resolveMaxWorkspaces(options: ExecutorOptions): number {
  const rule = WORKSPACE_LIMITS.maxWorkspaces;
  return optional('maxWorkspaces', rule, options.maxWorkspaces, rule.default, 'Executor');
}

/** A `storage` option: undefined, or an object with the Storage methods. */
export function checkStorage(value: unknown): Storage | undefined {
  if (value === undefined) return undefined;
  const methods = ['get', 'put', 'delete', 'list', 'close'];
  if (typeof value !== 'object' || value === null || methods.some((name) => typeof (value as Record<string, unknown>)[name] !== 'function')) {
    throw new CodemodeError('INVALID_OPTION', `expected \`storage\` to be a Storage (a FileStorage or RedisStorage from codemode/storage), got ${describeValue(value)}`);
  }
  return value as Storage;
}
