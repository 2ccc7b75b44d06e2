// The supervised pool of sandbox processes. A process serves one run at a time; runs beyond `maxProcesses`
// wait in line. Processes are kept warm (`minProcesses`), extra idle ones retire after `idleProcessMs`, a
// process that a run leaves in doubt is discarded (killed) and replaced.
//
// The line is fair between keys (an executor's tenant, e.g. one MCP session): a process that frees up goes
// to the waiting key holding the fewest processes, and among those to the one served least recently. So a
// key that floods the line with slow runs waits behind its own runs, not everyone else's.
import { CodemodeError } from '../errors.js';
import type { ResolvedRuntimeOptions } from './options.js';
import { SandboxProcess } from './sandbox-process.js';

interface Waiter {
  resolve(process: SandboxProcess): void;
  reject(error: Error): void;
  abandoned(): boolean;
  /** The run's isolate affinity: an idle process with a context ready for it is preferred. */
  affinity?: string | undefined;
}

/** One key's place in the line. */
interface Lane {
  waiters: Waiter[];
  /** Processes this key holds now. */
  leased: number;
  /** When it was last handed a process (a running count; 0 = never). */
  servedAt: number;
}

/** After this many processes in a row fail to start, stop spawning spares in the background. */
const MAX_SPAWN_FAILURES = 3;

export class SandboxPool {
  private readonly all = new Set<SandboxProcess>();
  private readonly idle: SandboxProcess[] = [];
  private readonly lanes = new Map<string, Lane>();
  /** Which key holds each leased process. */
  private readonly leases = new Map<SandboxProcess, string>();
  private readonly retireTimers = new Map<SandboxProcess, NodeJS.Timeout>();
  private serveCount = 0;
  private spawnFailures = 0;
  private closed = false;

  constructor(private readonly options: ResolvedRuntimeOptions) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Waits for a process of its own, in `key`'s lane; rejects when the runtime closes or none can start. A
   * waiter whose `abandoned()` turns true is dropped when a process frees up (its promise then never settles).
   */
  acquire(key: string, abandoned: () => boolean = () => false, affinity?: string): Promise<SandboxProcess> {
    if (this.closed) return Promise.reject(new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime is closed'));
    // Nobody waits, so nobody is passed over: take an idle process at once.
    if (!this.hasWaiters()) {
      const ready = this.takeIdle(affinity);
      if (ready) return Promise.resolve(this.lease(ready, key));
    }
    return new Promise((resolve, reject) => {
      this.lane(key).waiters.push({ resolve, reject, abandoned, affinity });
      this.serveIdle();
      if (this.hasWaiters() && this.all.size < this.options.maxProcesses) this.spawn();
    });
  }

  /** The run ended cleanly: the process (which has already disposed the run's isolate) serves the next one. */
  release(process: SandboxProcess): void {
    this.unlease(process);
    process.onMessage = () => {};
    process.onExit = () => this.forget(process);
    if (!process.alive || this.closed) {
      this.discard(process);
      return;
    }
    if (!this.handOver(process)) this.park(process);
  }

  /** The run left the process in doubt (hung, crashed, overran a deadline): kill it and replace it. */
  discard(process: SandboxProcess): void {
    this.unlease(process);
    process.kill();
    this.forget(process);
    if (!this.closed && this.hasWaiters() && this.all.size < this.options.maxProcesses) this.spawn();
    this.fillToMinimum();
  }

  /**
   * The run on `process` was lost before it started: discard the process and start a new one for this run
   * alone. A fresh process, not an idle one, since those may have died in the same moment unnoticed.
   */
  replace(process: SandboxProcess, key: string, abandoned: () => boolean): Promise<SandboxProcess> {
    this.unlease(process);
    process.kill();
    this.forget(process);
    if (this.closed) return Promise.reject(new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime was closed'));
    return new Promise((resolve, reject) => {
      this.spawn({ waiter: { resolve, reject, abandoned }, key });
      this.fillToMinimum();
    });
  }

  /**
   * Starts `minProcesses` processes (at least one) and waits until they can take runs; rejects with the first
   * start failure (CodemodeError SANDBOX_START_FAILED, its cause from the process's stderr).
   */
  async warmup(): Promise<void> {
    this.fillToMinimum();
    if (this.all.size === 0 && !this.closed) this.spawn();
    try {
      await Promise.all([...this.all].map((process) => process.ready));
    } catch (error) {
      // Closing kills processes that are still starting: that is the close, not a failure to start.
      if (this.closed) throw new CodemodeError('EXECUTOR_CLOSED', 'the executor was closed while warming up');
      throw error;
    }
  }

  get size(): number {
    return this.all.size;
  }

  /** Process ids, for tests and diagnostics. */
  pids(): number[] {
    return [...this.all].flatMap((process) => (process.pid === undefined ? [] : [process.pid]));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lane of this.lanes.values()) {
      for (const waiter of lane.waiters.splice(0)) waiter.reject(new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime was closed'));
    }
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

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { waiters: [], leased: 0, servedAt: 0 }));
    return lane;
  }

  private lease(process: SandboxProcess, key: string): SandboxProcess {
    const lane = this.lane(key);
    lane.leased++;
    lane.servedAt = ++this.serveCount;
    this.leases.set(process, key);
    return process;
  }

  private unlease(process: SandboxProcess): void {
    const key = this.leases.get(process);
    if (key === undefined) return;
    this.leases.delete(process);
    const lane = this.lanes.get(key)!;
    lane.leased--;
    this.dropIfEmpty(key, lane);
  }

  private dropIfEmpty(key: string, lane: Lane): void {
    if (lane.leased === 0 && lane.waiters.length === 0) this.lanes.delete(key);
  }

  private hasWaiters(): boolean {
    for (const lane of this.lanes.values()) if (lane.waiters.length > 0) return true;
    return false;
  }

  /** The waiter to serve next: in the lane holding the fewest processes, then the one served least recently. */
  private nextWaiter(): { waiter: Waiter; key: string } | undefined {
    let best: { lane: Lane; key: string } | undefined;
    for (const [key, lane] of this.lanes) {
      while (lane.waiters[0]?.abandoned()) lane.waiters.shift();
      if (lane.waiters.length === 0) {
        this.dropIfEmpty(key, lane);
        continue;
      }
      if (!best || lane.leased < best.lane.leased || (lane.leased === best.lane.leased && lane.servedAt < best.lane.servedAt)) best = { lane, key };
    }
    if (!best) return undefined;
    return { waiter: best.lane.waiters.shift()!, key: best.key };
  }

  /** Gives a free process to the next waiter; false when nobody waits. */
  private handOver(process: SandboxProcess): boolean {
    const next = this.nextWaiter();
    if (!next) return false;
    next.waiter.resolve(this.lease(process, next.key));
    return true;
  }

  /** Idle processes (e.g. one that was still preparing when a run arrived) go to waiters in line order. */
  private serveIdle(): void {
    while (this.idle.length > 0) {
      const next = this.nextWaiter();
      if (!next) return;
      const process = this.takeIdle(next.waiter.affinity);
      if (!process) {
        // Every idle process had died: the waiter keeps its place for the next one.
        this.lane(next.key).waiters.unshift(next.waiter);
        return;
      }
      next.waiter.resolve(this.lease(process, next.key));
    }
  }

  /**
   * An idle process for a run of `affinity`, the most recently used first among: those with a context ready in
   * the isolate that served that affinity, those with a fresh isolate ready, then any (still preparing).
   * Alternating lets one process prepare while another runs.
   */
  private takeIdle(affinity?: string): SandboxProcess | undefined {
    while (this.idle.length > 0) {
      let pick = affinity === undefined ? -1 : this.idle.findLastIndex((candidate) => candidate.affinity === affinity);
      if (pick < 0) pick = this.idle.findLastIndex((candidate) => candidate.spare);
      if (pick < 0) pick = this.idle.length - 1;
      const process = this.idle.splice(pick, 1)[0]!;
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

  /** Starts a process for the line, or for one `reserved` waiter only. */
  private spawn(reserved?: { waiter: Waiter; key: string }): void {
    const { memoryLimitMb, isolateRuns, isolateHeapMb } = this.options;
    const process = new SandboxProcess({ memoryLimitMb, isolateRuns, isolateHeapMb });
    this.all.add(process);
    process.onExit = () => this.forget(process);
    process.ready.then(
      () => {
        this.spawnFailures = 0;
        if (this.closed) {
          reserved?.waiter.reject(new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime was closed'));
          return process.kill();
        }
        if (reserved && !reserved.waiter.abandoned()) reserved.waiter.resolve(this.lease(process, reserved.key));
        else if (!this.handOver(process)) this.park(process);
      },
      (error: Error) => {
        this.spawnFailures++;
        this.forget(process);
        process.kill();
        // The waiter learns why; it would otherwise wait for a process that never comes.
        const failure = this.closed ? new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime was closed') : error;
        (reserved?.waiter ?? this.nextWaiter()?.waiter)?.reject(failure);
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
