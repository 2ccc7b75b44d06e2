// Options of the sandbox runtime (the process pool), apart from run limits: how many processes, how long an
// idle one lives. Ranges and defaults are the rows of POOL_LIMITS in src/limits/table.ts.
import { capped, optional } from '../limits/rules.js';
import { POOL_LIMITS, type LimitOptions } from '../limits/table.js';

/** The sandbox process pool's options: one optional number per row of `POOL_LIMITS`. */
export type PoolOptions = LimitOptions<typeof POOL_LIMITS>;

export interface ResolvedPoolOptions {
  minProcesses: number;
  maxProcesses: number;
  idleProcessMs: number;
}

/** Checks the pool options and fills in defaults; `minProcesses` may not exceed `maxProcesses`. */
export function resolvePoolOptions(options: PoolOptions, where?: string): ResolvedPoolOptions {
  const { maxProcesses: maxRule, minProcesses: minRow, idleProcessMs: idleRule } = POOL_LIMITS;
  const maxProcesses = optional('maxProcesses', maxRule, options.maxProcesses, maxRule.default, where);
  const minRule = capped(minRow, maxProcesses);
  const minProcesses = optional('minProcesses', minRule, options.minProcesses, Math.min(minRule.default, maxProcesses), where);
  const idleProcessMs = optional('idleProcessMs', idleRule, options.idleProcessMs, idleRule.default, where);
  return { minProcesses, maxProcesses, idleProcessMs };
}
