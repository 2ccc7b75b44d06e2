// The supervised pool of sandbox processes. A process serves one run at a time; runs beyond
// `maxProcesses` wait in line. Processes are kept warm (`minProcesses`), extra idle ones retire after
// `idleProcessMs`, a process that a run leaves in doubt is discarded (killed) and replaced.
import { CodemodeError } from '../errors.js';
import type { ResolvedPoolOptions } from './options.js';
import { SandboxProcess } from './sandbox-process.js';

interface Waiter {
  resolve(process: SandboxProcess): void;
  reject(error: Error): void;
  abandoned(): boolean;
}

/** After this many processes in a row fail to start, stop spawning spares in the background. */
const MAX_SPAWN_FAILURES = 3;

export class SandboxPool {
  private readonly all = new Set<SandboxProcess>();
  private readonly idle: SandboxProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly retireTimers = new Map<SandboxProcess, NodeJS.Timeout>();
  private spawnFailures = 0;
  private closed = false;

  constructor(
    private readonly options: ResolvedPoolOptions,
    private readonly memoryLimitMb: number,
  ) {}

  /**
   * Waits for a process of its own; rejects when the executor closes or none can start. A waiter whose
   * `abandoned()` turns true is skipped when a process frees up (its promise then never settles).
   */
  acquire(abandoned: () => boolean = () => false): Promise<SandboxProcess> {
    if (this.closed) return Promise.reject(new CodemodeError('EXECUTOR_CLOSED', 'the executor is closed'));
    const ready = this.takeIdle();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject, abandoned });
      if (this.all.size < this.options.maxProcesses) this.spawn();
    });
  }

  private nextWaiter(): Waiter | undefined {
    let waiter = this.waiters.shift();
    while (waiter?.abandoned()) waiter = this.waiters.shift();
    return waiter;
  }

  /** The run ended cleanly: the process (which has already disposed the run's isolate) serves the next one. */
  release(process: SandboxProcess): void {
    process.onMessage = () => {};
    process.onExit = () => this.forget(process);
    if (!process.alive || this.closed) {
      this.discard(process);
      return;
    }
    const waiter = this.nextWaiter();
    if (waiter) {
      waiter.resolve(process);
      return;
    }
    this.park(process);
  }

  /** The run left the process in doubt (hung, crashed, overran a deadline): kill it and replace it. */
  discard(process: SandboxProcess): void {
    process.kill();
    this.forget(process);
    if (!this.closed && this.waiters.length > 0 && this.all.size < this.options.maxProcesses) this.spawn();
    this.fillToMinimum();
  }

  /** Starts `minProcesses` processes and waits until they can take runs. */
  async warmup(): Promise<void> {
    this.fillToMinimum();
    await Promise.all([...this.all].map((process) => process.ready.catch(() => {})));
  }

  get size(): number {
    return this.all.size;
  }

  /** Process ids, for tests and diagnostics. */
  pids(): number[] {
    return [...this.all].flatMap((process) => (process.pid === undefined ? [] : [process.pid]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(new CodemodeError('EXECUTOR_CLOSED', 'the executor was closed'));
    const exits = [...this.all].map((process) => {
      process.kill();
      return process.exited;
    });
    for (const timer of this.retireTimers.values()) clearTimeout(timer);
    this.retireTimers.clear();
    await Promise.all(exits);
    this.all.clear();
    this.idle.length = 0;
  }

  private takeIdle(): SandboxProcess | undefined {
    while (this.idle.length > 0) {
      // The most recently used process that has its next isolate ready; else the most recent one, which is
      // still preparing it. Alternating lets one process prepare while another runs.
      const warm = this.idle.findLastIndex((candidate) => candidate.warm);
      const process = this.idle.splice(warm >= 0 ? warm : this.idle.length - 1, 1)[0]!;
      clearTimeout(this.retireTimers.get(process));
      this.retireTimers.delete(process);
      if (process.alive) {
        process.setActive(true);
        return process;
      }
      this.forget(process);
    }
    return undefined;
  }

  private spawn(): void {
    const process = new SandboxProcess(this.memoryLimitMb);
    this.all.add(process);
    process.onExit = () => this.forget(process);
    process.ready.then(
      () => {
        this.spawnFailures = 0;
        if (this.closed) return process.kill();
        const waiter = this.nextWaiter();
        if (waiter) waiter.resolve(process);
        else this.park(process);
      },
      (error: Error) => {
        this.spawnFailures++;
        this.forget(process);
        process.kill();
        // The first waiter learns why; it would otherwise wait for a process that never comes.
        this.nextWaiter()?.reject(new Error(`the sandbox process failed to start: ${error.message}`));
      },
    );
  }

  private park(process: SandboxProcess): void {
    process.setActive(false);
    this.idle.push(process);
    if (this.all.size > this.options.minProcesses) {
      const timer = setTimeout(() => {
        this.retireTimers.delete(process);
        const index = this.idle.indexOf(process);
        if (index < 0 || this.all.size <= this.options.minProcesses) return;
        this.idle.splice(index, 1);
        process.kill();
        this.forget(process);
      }, this.options.idleProcessMs);
      timer.unref();
      this.retireTimers.set(process, timer);
    }
  }

  private forget(process: SandboxProcess): void {
    this.all.delete(process);
    const index = this.idle.indexOf(process);
    if (index >= 0) this.idle.splice(index, 1);
    clearTimeout(this.retireTimers.get(process));
    this.retireTimers.delete(process);
  }

  private fillToMinimum(): void {
    while (!this.closed && this.all.size < this.options.minProcesses && this.spawnFailures < MAX_SPAWN_FAILURES) this.spawn();
  }
}
