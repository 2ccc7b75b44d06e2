// Options of the sandbox runtime (the process pool), apart from run limits: how many processes, how long an
// idle one lives, and the heap limit its processes prepare their next isolate with. Ranges and defaults are
// the rows of POOL_LIMITS (and RUN_LIMITS.memoryLimitMb) in src/limits/table.ts.
import { OBJECT, capped, checked, optional } from '../limits/rules.js';
import { POOL_LIMITS, RUN_LIMITS, type LimitOptions } from '../limits/table.js';

/** The sandbox process pool's options: one optional number per row of `POOL_LIMITS`. */
export type PoolOptions = LimitOptions<typeof POOL_LIMITS>;

export interface ResolvedPoolOptions {
  minProcesses: number;
  maxProcesses: number;
  idleProcessMs: number;
  isolateRuns: number;
  isolateHeapMb: number;
}

export interface SandboxRuntimeOptions extends PoolOptions {
  /**
   * The heap limit (MB) each process prepares its next isolate with, ahead of the run. A run with another
   * limit gets an isolate made for it, which costs about 2 ms. Default 128.
   */
  memoryLimitMb?: number;
}

export type ResolvedRuntimeOptions = ResolvedPoolOptions & { memoryLimitMb: number };

/** The options an executor may not set beside a shared runtime. */
export const POOL_OPTION_NAMES = Object.keys(POOL_LIMITS) as Array<keyof PoolOptions>;

export function resolveRuntimeOptions(options: SandboxRuntimeOptions, where?: string): ResolvedRuntimeOptions {
  checked('options', OBJECT, options, where);
  const memoryLimitMb = optional('memoryLimitMb', RUN_LIMITS.memoryLimitMb, options.memoryLimitMb, RUN_LIMITS.memoryLimitMb.default, where);
  return { ...resolvePoolOptions(options, where), memoryLimitMb };
}

/** Checks the pool options and fills in defaults; `minProcesses` may not exceed `maxProcesses`. */
export function resolvePoolOptions(options: PoolOptions, where?: string): ResolvedPoolOptions {
  const { maxProcesses: maxRule, minProcesses: minRow, idleProcessMs: idleRule, isolateRuns: runsRule, isolateHeapMb: heapRule } = POOL_LIMITS;
  const maxProcesses = optional('maxProcesses', maxRule, options.maxProcesses, maxRule.default, where);
  const minRule = capped(minRow, maxProcesses);
  const minProcesses = optional('minProcesses', minRule, options.minProcesses, Math.min(minRule.default, maxProcesses), where);
  const idleProcessMs = optional('idleProcessMs', idleRule, options.idleProcessMs, idleRule.default, where);
  const isolateRuns = optional('isolateRuns', runsRule, options.isolateRuns, runsRule.default, where);
  const isolateHeapMb = optional('isolateHeapMb', heapRule, options.isolateHeapMb, heapRule.default, where);
  return { minProcesses, maxProcesses, idleProcessMs, isolateRuns, isolateHeapMb };
}
