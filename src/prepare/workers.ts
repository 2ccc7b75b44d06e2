// The preparation workers of this process, shared by every executor: one job per worker at a time, each
// with a deadline; a worker that overruns is terminated (its job answers `overrun`) and replaced on demand.
// Started lazily (the first job waits for the TypeScript compiler to load in the worker, ≈200 ms, which does
// not count against the job); an idle worker never keeps the host process alive.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MAX_CHECKERS, type PrepareAnswer, type PrepareJob, type WorkerReady } from './protocol.js';

/** Parsing is CPU-bound: more workers than cores only share the CPU, but two keep one hostile job from blocking the rest. */
const MAX_WORKERS = Math.min(4, Math.max(2, availableParallelism()));
/** A worker beyond the first exits after this long without a job. */
const IDLE_WORKER_MS = 30_000;
/** The first check with a tool set's declarations: loading the standard library, under load. */
const WARM_CHECKER_MS = 30_000;
/** Heap of one worker: the compiler, a few type checkers and one job's trees. */
const WORKER_HEAP_MB = 512;

export type JobOutcome =
  | { type: 'answer'; answer: PrepareAnswer; elapsedMs: number }
  /** The job ran past its budget; the worker was terminated. */
  | { type: 'overrun'; elapsedMs: number }
  /** The worker died under the job (out of memory, for one). */
  | { type: 'died'; message: string; elapsedMs: number }
  /** The caller's signal aborted the job; a worker that had started it was terminated. */
  | { type: 'aborted'; elapsedMs: number };

interface Waiting {
  job: Omit<PrepareJob, 'id'>;
  budgetMs: number;
  resolve(outcome: JobOutcome): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  idleTimer?: NodeJS.Timeout;
  /** The job in progress, if any: its id, what asked for it, and what ends it. */
  jobId?: number;
  waiting?: Waiting;
  /** Declarations the worker holds a warm type checker for, least recently used first. */
  checkers: string[];
  settle?: (outcome: JobOutcome) => void;
}

class PrepareWorkers {
  private readonly slots = new Set<Slot>();
  private readonly queue: Waiting[] = [];
  private nextId = 1;

  /** Runs `job` in a worker within `budgetMs` of the worker's own time; waiting for a worker is not counted. */
  run(job: Omit<PrepareJob, 'id'>, budgetMs: number, signal?: AbortSignal): Promise<JobOutcome> {
    if (signal?.aborted) return Promise.resolve({ type: 'aborted', elapsedMs: 0 });
    return new Promise((resolve) => {
      const onAbort = () => this.abort(waiting);
      const waiting: Waiting = {
        job,
        budgetMs,
        resolve: (outcome) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      this.queue.push(waiting);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.dispatch();
    });
  }

  private abort(waiting: Waiting): void {
    const queued = this.queue.indexOf(waiting);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      waiting.resolve({ type: 'aborted', elapsedMs: 0 });
      return;
    }
    const slot = [...this.slots].find((candidate) => candidate.waiting === waiting);
    if (!slot) return;
    this.retire(slot);
    void slot.worker.terminate();
    slot.settle?.({ type: 'aborted', elapsedMs: 0 });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.ready && !slot.settle) this.start(slot, this.queue.shift()!);
    }
    const starting = [...this.slots].filter((slot) => !slot.ready).length;
    if (this.queue.length > starting && this.slots.size < MAX_WORKERS) this.spawn();
  }

  private start(slot: Slot, waiting: Waiting): void {
    clearTimeout(slot.idleTimer);
    slot.waiting = waiting;
    slot.worker.ref();
    const { declarations } = waiting.job;
    const run = () => this.send(slot, waiting.job, waiting.budgetMs, (outcome) => this.finish(slot, waiting, outcome));
    if (declarations === undefined) return run();
    if (slot.checkers.includes(declarations)) {
      remember(slot.checkers, declarations);
      return run();
    }
    // A type checker's first check loads the standard library (a second or more): not the run's time.
    this.send(slot, { code: '', declarations }, WARM_CHECKER_MS, (outcome) => {
      if (outcome.type === 'answer') {
        remember(slot.checkers, declarations);
        return run();
      }
      this.finish(slot, waiting, outcome.type === 'aborted' ? outcome : { type: 'died', message: 'the type checker could not start', elapsedMs: 0 });
    });
  }

  /** Posts one job to the slot's worker, which is terminated if it does not answer within `budgetMs`. */
  private send(slot: Slot, job: Omit<PrepareJob, 'id'>, budgetMs: number, onOutcome: (outcome: JobOutcome) => void): void {
    const id = this.nextId++;
    const started = performance.now();
    const timer = setTimeout(() => {
      this.retire(slot);
      void slot.worker.terminate();
      slot.settle?.({ type: 'overrun', elapsedMs: 0 });
    }, Math.max(1, Math.ceil(budgetMs)));
    slot.jobId = id;
    slot.settle = (outcome) => {
      clearTimeout(timer);
      slot.settle = undefined;
      slot.jobId = undefined;
      onOutcome(outcome.type === 'died' ? outcome : { ...outcome, elapsedMs: performance.now() - started });
    };
    slot.worker.postMessage({ ...job, id } satisfies PrepareJob);
  }

  private finish(slot: Slot, waiting: Waiting, outcome: JobOutcome): void {
    slot.waiting = undefined;
    waiting.resolve(outcome);
    this.idle(slot);
    this.dispatch();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const slot: Slot = { worker, ready: false, checkers: [] };
    this.slots.add(slot);
    worker.on('message', (message: WorkerReady | PrepareAnswer) => {
      if ('ready' in message) {
        slot.ready = true;
        this.idle(slot);
        this.dispatch();
      } else if (message.id === slot.jobId) {
        slot.settle?.({ type: 'answer', answer: message, elapsedMs: 0 });
      }
    });
    worker.on('error', (error) => {
      this.retire(slot);
      slot.settle?.({ type: 'died', message: `${error.name}: ${error.message}`, elapsedMs: 0 });
      // A worker that cannot even start fails the jobs waiting for it rather than respawning forever.
      if (!slot.ready) for (const waiting of this.queue.splice(0)) waiting.resolve({ type: 'died', message: error.message, elapsedMs: 0 });
    });
    worker.on('exit', () => {
      this.retire(slot);
      slot.settle?.({ type: 'died', message: 'the preparation worker exited', elapsedMs: 0 });
    });

  }

  /** Forgets a slot (its worker is gone or going); jobs in line go to the others, or to a new one. */
  private retire(slot: Slot): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.idleTimer);
    queueMicrotask(() => this.dispatch());
  }

  /** A worker without a job must not keep the host process alive; one starting for a job in line does. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    if (!this.slots.has(slot) || this.slots.size === 1) return;
    clearTimeout(slot.idleTimer);
    slot.idleTimer = setTimeout(() => {
      if (slot.settle || this.slots.size === 1) return;
      this.retire(slot);
      void slot.worker.terminate();
    }, IDLE_WORKER_MS);
    slot.idleTimer.unref();
  }
}

/** The process's preparation workers. */
export const prepareWorkers = new PrepareWorkers();

/** Keeps `declarations` as the most recently used, as the worker's own cache does. */
function remember(checkers: string[], declarations: string): void {
  const at = checkers.indexOf(declarations);
  if (at !== -1) checkers.splice(at, 1);
  checkers.push(declarations);
  if (checkers.length > MAX_CHECKERS) checkers.shift();
}
