// The sandbox process a workspace pins, outside the shared pool: its isolate and context live between the
// workspace's runs, so a crash or an out-of-memory harms only this workspace. It serves one run at a time,
// in the order the runs were started (each run holds a ticket, taken when it starts); a run waits for the
// runs before it, never refused. It is the session's process source (src/session), like the pool.
//
// It never decides what a lost context means for the model: it reports each loss (`onLost`) and the
// workspace says so in the run's error.
import { CodemodeError } from '../errors.js';
import { POOL_LIMITS } from '../limits/table.js';
import { SandboxProcess } from '../runtime/sandbox-process.js';
import type { ProcessSource } from '../session/session.js';

interface Ticket {
  key: string;
  /** Set while it waits for its turn; `process`: a run, which gets the process (a reset only needs the turn). */
  waiter?: { process: boolean; resolve(process: SandboxProcess | undefined): void; reject(error: Error): void };
}

export interface PinnedProcessOptions {
  memoryLimitMb: number;
  /** True once the executor's runtime is closed: no run starts then. */
  runtimeClosed(): boolean;
  /**
   * The context was lost: `during` a run (its key; also said to the first run after the process died idle),
   * or between runs (undefined: the process died idle).
   */
  onLost(during: string | undefined): void;
  /** Nobody holds or waits for the process any more. */
  onIdle(): void;
}

export class PinnedProcess implements ProcessSource {
  private process: SandboxProcess | undefined;
  private readonly line: Ticket[] = [];
  /** The key of the run holding the process (or the turn). */
  private holder: string | undefined;
  /** The holder took the process (a run), not only the turn (a reset). */
  private holdsProcess = false;
  /** True once the current process served a run: only then does its death lose anything. */
  private used = false;
  /** The process died between runs: the next run to get a process hears that the variables are gone. */
  private lostIdle = false;
  private closedBy: CodemodeError | undefined;

  constructor(private readonly options: PinnedProcessOptions) {}

  get isClosed(): boolean {
    return this.closedBy !== undefined || this.options.runtimeClosed();
  }

  /** True while a run holds the process or waits for it. */
  get busy(): boolean {
    return this.line.length > 0 || this.holder !== undefined;
  }

  get pid(): number | undefined {
    return this.process?.alive ? this.process.pid : undefined;
  }

  /** A run takes its place in line, before its code is prepared (so runs keep the order they were started in). */
  enqueue(key: string): void {
    this.line.push({ key });
  }

  /**
   * The run with `key` ended: it leaves the line, whether it got the process or not. A run that got it gives
   * it back with `release` or `discard`; a turn without the process (`turn`) ends here.
   */
  done(key: string): void {
    const index = this.line.findIndex((ticket) => ticket.key === key);
    if (index >= 0) this.line.splice(index, 1);
    if (this.holder === key) {
      const held = this.holdsProcess;
      this.holder = undefined;
      this.holdsProcess = false;
      // It ended without giving the process back (a respawn that failed): what is left of it is not
      // trusted, and the next run must not wait behind a holder that is gone.
      if (held) {
        if (this.process) this.drop(this.process);
        this.options.onLost(key);
      }
    }
    this.serve();
  }

  acquire(key: string): Promise<SandboxProcess> {
    return this.wait(key, true) as Promise<SandboxProcess>;
  }

  /** Waits until the runs before `key` are over, without taking the process; `done(key)` ends the turn. */
  async turn(key: string): Promise<void> {
    await this.wait(key, false);
  }

  private wait(key: string, process: boolean): Promise<SandboxProcess | undefined> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    if (this.options.runtimeClosed()) return Promise.reject(new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime is closed'));
    const ticket = this.line.find((candidate) => candidate.key === key);
    if (!ticket) return Promise.reject(new Error(`workspace run ${key} has no place in line`));
    return new Promise((resolve, reject) => {
      ticket.waiter = { process, resolve, reject };
      this.serve();
    });
  }

  /** The run ended cleanly: the process (and the context in it) waits for the next run. */
  release(process: SandboxProcess): void {
    this.holder = undefined;
    this.holdsProcess = false;
    process.onMessage = () => {};
    process.onExit = () => this.diedIdle(process);
    if (process !== this.process || !process.alive) this.drop(process);
    else process.setActive(false);
    this.serve();
  }

  /** The run left the process in doubt: it is killed, and the context with it. */
  discard(process: SandboxProcess): void {
    const holder = this.holder;
    this.holder = undefined;
    this.holdsProcess = false;
    this.drop(process);
    this.options.onLost(holder);
    this.serve();
  }

  /** The process died before the run started: a fresh one (with an empty context) for the same run. */
  replace(lost: SandboxProcess, key: string): Promise<SandboxProcess> {
    this.drop(lost);
    this.options.onLost(key);
    if (this.isClosed) return Promise.reject(this.closedBy ?? new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime was closed'));
    return this.ready();
  }

  /** Ends the process (the context is gone); the next run gets a fresh one, started now so it is warm. */
  renew(): void {
    this.lostIdle = false;
    if (this.process) this.drop(this.process);
    if (!this.isClosed) this.spawn();
  }

  /** Refuses every waiting and later run with `error`, and ends the process. */
  async close(error: CodemodeError): Promise<void> {
    if (this.closedBy) return;
    this.closedBy = error;
    for (const ticket of this.line.splice(0)) ticket.waiter?.reject(error);
    const process = this.process;
    if (!process) return;
    this.drop(process);
    await process.exited;
  }

  /** Hands the process to the first run in line, if it waits and nobody holds it. */
  private serve(): void {
    const head = this.line[0];
    if (this.holder !== undefined || !head?.waiter) {
      if (!this.busy) this.options.onIdle();
      return;
    }
    const { waiter } = head;
    head.waiter = undefined;
    this.holder = head.key;
    this.holdsProcess = waiter.process;
    if (!waiter.process) return waiter.resolve(undefined);
    // Dead since the last run, whether its exit was seen yet or not: this run starts in an empty context.
    const lost = this.lostIdle || (this.used && this.process !== undefined && !this.process.alive);
    this.lostIdle = false;
    if (lost) this.options.onLost(head.key);
    this.ready().then(
      (process) => {
        this.used = true;
        waiter.resolve(process);
      },
      (error: Error) => {
        this.holder = undefined;
        this.holdsProcess = false;
        waiter.reject(error);
        this.serve();
      },
    );
  }

  /** The pinned process once it can take a run, started if there is none. */
  private ready(): Promise<SandboxProcess> {
    const process = this.process?.alive ? this.process : this.spawn();
    process.setActive(true);
    return process.ready.then(() => {
      if (this.closedBy) throw this.closedBy;
      return process;
    });
  }

  private spawn(): SandboxProcess {
    // A workspace's isolate serves its runs only; its context lives as long as the workspace.
    const process = new SandboxProcess({ memoryLimitMb: this.options.memoryLimitMb, isolateRuns: 1, isolateHeapMb: POOL_LIMITS.isolateHeapMb.default });
    this.process = process;
    this.used = false;
    process.onExit = () => this.diedIdle(process);
    // Idle until a run takes it: a workspace nobody uses must not keep the host's event loop alive.
    process.setActive(false);
    process.ready.catch(() => {
      if (this.process === process) this.process = undefined;
    });
    return process;
  }

  /** The process died while no run held it (the OOM killer, a kill from outside): the context is gone. */
  private diedIdle(process: SandboxProcess): void {
    if (process !== this.process) return;
    this.process = undefined;
    if (this.closedBy || !this.used) return;
    this.lostIdle = true;
    this.options.onLost(undefined);
  }

  private drop(process: SandboxProcess): void {
    if (process === this.process) this.process = undefined;
    process.onExit = () => {};
    process.kill();
  }
}
