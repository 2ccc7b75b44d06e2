// The public face of the sandbox processes: a runtime that one executor makes for itself by default, or that
// several executors share (`new Executor({ runtime })`). Sandbox processes know nothing of tools (each run
// message carries the names it may call), so any executor can use any process.
import { CodemodeError } from '../errors.js';
import { resolveRuntimeOptions, type SandboxRuntimeOptions } from './options.js';
import { SandboxPool } from './pool.js';

const pools = new WeakMap<SandboxRuntime, SandboxPool>();

export class SandboxRuntime {
  constructor(options: SandboxRuntimeOptions = {}) {
    pools.set(this, new SandboxPool(resolveRuntimeOptions(options, 'SandboxRuntime')));
  }

  /** Starts `minProcesses` processes and waits until they can take runs. */
  async warmup(): Promise<void> {
    const pool = poolOf(this);
    if (pool.isClosed) throw new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime is closed');
    await pool.warmup();
  }

  /** Ends every sandbox process; runs still on them fail as `crashed`, runs in line as `cancelled`. */
  async close(): Promise<void> {
    await poolOf(this).close();
  }

  get closed(): boolean {
    return poolOf(this).isClosed;
  }

  /** Process ids of the live sandbox processes (diagnostics and tests). */
  sandboxPids(): number[] {
    return poolOf(this).pids();
  }
}

/** @internal The pool behind a runtime, for the executor; not part of the public API. */
export function poolOf(runtime: SandboxRuntime): SandboxPool {
  const pool = pools.get(runtime);
  if (!pool) throw new CodemodeError('INVALID_OPTION', 'expected `runtime` to be a SandboxRuntime made with `new SandboxRuntime()`');
  return pool;
}
