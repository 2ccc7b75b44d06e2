// Runs in the sandbox process: one model run inside one prepared isolate (or a workspace's kept one). Every
// entry into the isolate is synchronous on this process's only thread, bounded by the time the host says is
// left, and followed by one message to the host with everything the harness signalled (calls are batched for
// free this way).
import type ivmModule from 'isolated-vm';
import {
  CODE_FILENAME,
  type CallResult,
  type ErrorData,
  type HostCallData,
  type HostToSandbox,
  type LogEntry,
  type RunEnd,
  type SandboxToHost,
} from '../bridge/protocol.js';
import type { PreparedContext } from './isolate.js';
import { loadModules, ModuleLoadError } from './modules.js';

type Ivm = typeof ivmModule;
type RunMessage = Extract<HostToSandbox, { type: 'run' }>;

/**
 * How a run left its context and isolate. `clean`: the code ended (returned, threw, or did not compile) and
 * every entry returned normally. `tainted`: the code ended, but the entry did not return normally after
 * (what the code left running overran the time or the heap). `failed`: a timeout, a stop, a failure of the
 * isolate. Only a clean run's isolate serves another run; a workspace keeps its context unless it failed.
 */
export type RunOutcome = 'clean' | 'tainted' | 'failed';

/**
 * While code runs without yielding, what it logged or called goes out as it happens: the first console line
 * of an entry at once (a "started" before a long computation reaches the host), then at most every 20 ms.
 */
const FLUSH_INTERVAL_MS = 20;

export class SandboxRun {
  private ended = false;
  /** The isolate's CPU time before the run, so stats count the run and not the harness setup. */
  private cpuBefore = 0n;
  private lastFlush = 0;
  private loggedThisEntry = false;
  /** An entry into the isolate threw (timed out, ran out of memory, or the harness broke). */
  private entryFailed = false;
  /** The harness signalled the end: only the entry's own final flush may conclude the run. */
  private endSignalled = false;

  constructor(
    private readonly ivm: Ivm,
    private readonly prepared: PreparedContext,
    private readonly message: RunMessage,
    private readonly post: (message: SandboxToHost) => void,
    /** Called once, after the end is posted: the process decides what becomes of the context and isolate. */
    private readonly onEnd: (outcome: RunOutcome) => void,
  ) {
    // A send from inside a long synchronous entry goes out at once: the write does not need the event loop.
    prepared.onSignal = (signal) => {
      if (signal[0] === 'end') this.endSignalled = true;
      const firstLog = signal[0] === 'log' && !this.loggedThisEntry;
      if (firstLog) this.loggedThisEntry = true;
      if (firstLog || performance.now() - this.lastFlush > FLUSH_INTERVAL_MS) this.flush(undefined, false);
    };
  }

  get runId(): string {
    return this.message.runId;
  }

  start(): void {
    const { isolate, context, begin } = this.prepared;
    const { source, tools, workflows, limits, budgetMs } = this.message;
    this.cpuBefore = isolate.cpuTime;
    let script: ivmModule.Script;
    try {
      script = isolate.compileScriptSync(source, { filename: CODE_FILENAME });
    } catch (error) {
      this.end({ ok: false, error: syntaxError(error), stats: this.stats([]) }, [], true);
      return;
    }
    this.enter(budgetMs, (budget) => {
      // One budget for the whole entry: what loading the modules takes, the code does not get again.
      const deadline = performance.now() + budget;
      const left = () => Math.max(1, Math.floor(deadline - performance.now()));
      // A module that keeps Math.random or Date at load gets the durable ones too.
      const { durable } = this.message;
      if (durable && this.message.modules) this.prepared.deterministic.applySync(undefined, [durable.seed, durable.clock], { timeout: left() });
      if (this.message.modules) loadModules(isolate, context, this.message.modules, deadline);
      const main = script.runSync(context, { timeout: left(), reference: true, release: true }) as ivmModule.Reference<Function>;
      begin.applySync(
        undefined,
        [
          main.derefInto(),
          new this.ivm.ExternalCopy(tools).copyInto(),
          new this.ivm.ExternalCopy(workflows).copyInto(),
          new this.ivm.ExternalCopy(limits).copyInto(),
          this.message.keep === true,
          ...(this.message.durable ? [this.message.durable.seed, this.message.durable.clock] : []),
        ],
        { timeout: left() },
      );
      main.release();
    });
  }

  /** `at`: a durable run's clock from this delivery on. */
  deliver(results: CallResult[], budgetMs: number, at?: number): void {
    if (this.ended) return;
    const [first] = results;
    const clock = at === undefined ? [] : [at];
    this.enter(budgetMs, (timeout) => {
      if (results.length === 1 && first!.ok) this.prepared.resolveOne.applySync(undefined, [first!.callId, first!.value, ...clock], { timeout });
      else this.prepared.settle.applySync(undefined, [new this.ivm.ExternalCopy(results).copyInto(), ...clock], { timeout });
    });
  }

  stop(reason: 'timeout' | 'cancelled'): void {
    if (this.ended) return;
    this.end({ ok: false, error: { kind: reason, name: 'Error', message: reason }, stats: this.stats([]) });
  }

  /** One synchronous entry into the isolate, then one message with what it signalled. */
  private enter(budgetMs: number, body: (timeout: number) => void): void {
    this.lastFlush = performance.now();
    this.loggedThisEntry = false;
    let failure: ErrorData | undefined;
    try {
      body(Math.max(1, Math.floor(budgetMs)));
    } catch (error) {
      failure = this.entryFailure(error);
      this.entryFailed = true;
    }
    this.flush(failure);
  }

  private entryFailure(error: unknown): ErrorData {
    const message = error instanceof Error ? error.message : String(error);
    if (/timed out/i.test(message)) return { kind: 'timeout', name: 'Error', message };
    if (/memory limit/i.test(message)) return { kind: 'memory', name: 'RangeError', message };
    if (this.prepared.isolate.isDisposed) return { kind: 'crashed', name: 'Error', message };
    if (error instanceof ModuleLoadError) return { kind: 'runtime', name: 'Error', message };
    // The harness itself threw: model code replaced a built-in it relies on.
    return { kind: 'runtime', name: 'Error', message: `the run broke down after the code changed a built-in: ${message}` };
  }

  /** Sends what the harness signalled. `final`: the entry is over, so a failure or an end may conclude the run. */
  private flush(failure: ErrorData | undefined, final = true): void {
    this.lastFlush = performance.now();
    // The code ended inside this entry: the entry's own final flush concludes the run, so code that goes
    // on running after its end (and times out) taints the isolate instead of leaving it as clean.
    if (!final && this.endSignalled) return;
    const calls: HostCallData[] = [];
    const logs: LogEntry[] = [];
    let end: RunEnd | undefined;
    for (const signal of this.prepared.signals) {
      if (end) break;
      switch (signal[0]) {
        case 'calls': {
          const [, ids, names, inputs] = signal;
          for (let i = 0; i < ids.length; i++) calls.push({ callId: ids[i]!, name: names[i]!, input: inputs[i]! });
          break;
        }
        case 'log':
          logs.push({ level: signal[1], text: signal[2] });
          break;
        case 'end':
          end = signal[1]
            ? { ok: true, value: signal[2], stats: this.stats(signal[3]) }
            : { ok: false, error: signal[2], stats: this.stats(signal[3]) };
          break;
      }
    }
    this.prepared.signals.length = 0;
    // An end the harness signalled leaves the context as the code left it; a failure of the entry does not.
    const clean = end !== undefined;
    if (!end && failure) end = { ok: false, error: failure, stats: this.stats([]) };
    if (end) {
      // Calls made in the same entry as the end are never run: the run is over.
      this.end(end, logs, clean);
    } else if (final && this.message.durable) {
      // The host of a durable run must know when the code waits on host calls only (to pause it, or to see that a replay stalled).
      this.post({ type: 'out', runId: this.runId, calls, logs, idle: true });
    } else if (calls.length > 0 || logs.length > 0) {
      this.post({ type: 'out', runId: this.runId, calls, logs });
    }
  }

  private stats(pendingCalls: string[]): RunEnd['stats'] {
    const { isolate } = this.prepared;
    const cpuMs = isolate.isDisposed ? 0 : Number(isolate.cpuTime - this.cpuBefore) / 1e6;
    return { cpuMs, pendingCalls, isolateRun: this.prepared.owner.runs };
  }

  /**
   * `clean`: the code ended (returned, threw, or did not compile), as opposed to a timeout, a stop, or a
   * failure of the isolate (see RunOutcome).
   */
  private end(end: RunEnd, logs: LogEntry[] = [], clean = false): void {
    if (this.ended) return;
    this.ended = true;
    const outcome: RunOutcome = this.prepared.isolate.isDisposed || !clean ? 'failed' : this.entryFailed ? 'tainted' : 'clean';
    const kept = outcome !== 'failed' && this.message.keep === true;
    this.post({ type: 'out', runId: this.runId, calls: [], logs, end: kept ? { ...end, kept: true } : end });
    // After the answer is on its way: releasing the context and retiring the isolate are not on the run's critical path.
    this.onEnd(outcome);
  }
}

/** isolated-vm reports a compile error as "Unexpected token ';' [code.js:3:9]". */
function syntaxError(error: unknown): ErrorData {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /^(.*) \[[^\]]*:(\d+):(\d+)\]$/s.exec(raw);
  const name = error instanceof Error && error.name ? error.name : 'SyntaxError';
  if (!match) return { kind: 'syntax', name, message: raw };
  return { kind: 'syntax', name, message: match[1]!, line: Number(match[2]), column: Number(match[3]) };
}
