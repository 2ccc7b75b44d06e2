// One run, step by step. The session only moves messages: it owns the run's sandbox process lease and its
// deadline, hands each host call from the sandbox to the run's call pipeline and sends the answers back,
// turns the calls a step-mode caller answers into events, and ends the run exactly once: the first cause
// of the end wins. Deciding about a call (tool, input, policy, approval, interceptors) is the pipeline's.
import { decodeValue } from '../bridge/codec.js';
import { CODE_FILENAME, type CallResult, type ErrorData, type HostErrorData, type RunEnd, type SandboxLimits } from '../bridge/protocol.js';
import { SandboxInbox } from '../bridge/validate.js';
import { CodemodeError } from '../errors.js';
import { describeFault, reportFault } from '../fault.js';
import type { SandboxPool } from '../runtime/pool.js';
import { describeExit, type ProcessExit, type SandboxProcess } from '../runtime/sandbox-process.js';
import type { Runnable } from '../normalize/normalize.js';
import * as observe from '../observe/channels.js';
import type { Approver } from '../pipeline/approval.js';
import type { CallNotice, HostCall, Interceptor } from '../pipeline/call.js';
import { CALL_TOOL, CallPipeline, type PipelineLimits } from '../pipeline/pipeline.js';
import { codeFrame, HOST_FAULT_HINT, hintFor, JOURNAL_HINT, NO_SANDBOX_HINT } from '../results/hints.js';
import type { LogEntry, PausedRun, RunError, RunFailed, RunResult, RunStats } from '../results/types.js';
import type { ToolSet } from '../tools/registry.js';
import type { Storage } from '../storage/storage.js';
import { moduleLoads } from '../modules/modules.js';
import type { BundledModule } from '../modules/bundle.js';
import { Deadline } from './deadline.js';
import type { HostCallRequest, SessionEvent } from './events.js';
import type { RunJournal } from '../journal/journal.js';
import { RunFileCollector } from './files.js';
import { mapPositions } from './positions.js';

/** How long a sandbox process may take to acknowledge a stop before it is killed. */
const STOP_GRACE_MS = 250;

/** The limits a run needs: what the sandbox enforces, and what the host does (time, approvals, answers, files). */
export type SessionLimits = SandboxLimits & PipelineLimits & { readonly maxFilesBytes: number };

/**
 * Where a session gets its sandbox process: the shared pool, or the one process a workspace pins. The session
 * gives the process back with `release` after a clean end and with `discard` after any other.
 */
export type ProcessSource = Pick<SandboxPool, 'acquire' | 'release' | 'discard' | 'replace' | 'isClosed'>;

/** What a workspace run adds to a session (see src/executor/workspace.ts). */
export interface WorkspaceHooks {
  /**
   * Called once, when the run has ended and its process is released or discarded. `kept`: the workspace's
   * variables survived the run. Returns a sentence to add to the run's error message, if any.
   */
  ended(kept: boolean): string | undefined;
}

/** What the executor hands a new session. */
export interface SessionSetup {
  runId: string;
  code: string;
  normalized: Runnable;
  /** Time already spent on the run before the session (preparing its code): the deadline is that much shorter. */
  spentMs?: number;
  /** The host failed before the run could start (e.g. reading the code): the run ends with this at once. */
  fault?: ErrorData | undefined;
  /** The tool set as it was when the run started. */
  tools: ToolSet;
  pool: ProcessSource;
  /** Set for a run in a workspace: it runs in the workspace's kept context, on its pinned process. */
  workspace?: WorkspaceHooks | undefined;
  /** The run's place in the pool's fair line (executor and tenant). */
  lane: string;
  /** Which runs may share an isolate with this one (see runtime/affinity.ts). */
  affinity: string;
  limits: SessionLimits;
  approve: Approver | undefined;
  interceptors: readonly Interceptor[];
  /** `tools`: the registered tools answer every call (`run()`). `caller`: calls become events (`start()`). */
  answers: 'tools' | 'caller';
  onLog: ((entry: LogEntry) => void) | undefined;
  onNotice?: ((notice: CallNotice) => void) | undefined;
  signal: AbortSignal | undefined;
  /** Rewrites positions of other code the run ran (workflows) in a stack or a console line. */
  mapFrames?: ((text: string) => string) | undefined;
  /** The names in `tools` that are workflows (the sandbox runs their answers as code); none without a storage. */
  workflows?: readonly string[] | undefined;
  /** A durable run's journal (src/journal/): calls are checked and answered from it, deliveries recorded in it. */
  journal?: RunJournal | undefined;
  /** The executor's or workspace's storage, for tools (`context.storage`). */
  storage?: Storage | undefined;
  /** The modules the code imports, loaded into its context before it runs. */
  modules?: readonly BundledModule[] | undefined;
}

/** A call handed to the step-mode caller, waiting for its answer. */
interface WaitingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Cause = { kind: 'timeout' | 'cancelled' | 'paused' | 'diverged'; message: string };

export class Session implements AsyncIterable<SessionEvent> {
  readonly runId: string;
  /** Resolves with the terminal event when the run ends. */
  readonly result: Promise<RunResult>;

  private readonly setup: SessionSetup;
  private readonly deadline: Deadline;
  private readonly events: SessionEvent[] = [];
  private readonly wakers: Array<() => void> = [];
  private readonly pipeline: CallPipeline;
  private readonly waiting = new Map<number, WaitingCall>();
  private readonly answered = new Set<number>();
  private readonly logs: LogEntry[] = [];
  private readonly startedAt = performance.now();
  private readonly observation: observe.RunObservation | undefined;
  /** What tools registered with `context.returnFiles`, collected into the result when the run ends. */
  private readonly files = new RunFileCollector();
  /** One signal for every host call of the run, aborted when the run ends; made at the first call. */
  private callsAbort: AbortController | undefined;
  /** Calls in the pipeline, not answered yet. */
  private openCalls = 0;
  private outgoing: CallResult[] = [];
  private process: SandboxProcess | undefined;
  /** Checks what the run's sandbox process sends, before anything reads it. */
  private inbox: SandboxInbox | undefined;
  /** True once the sandbox process confirmed it has the run, i.e. the model's code may have run. */
  private started = false;
  /** Processes the run was sent to; a run lost before it started goes to a fresh process, once. */
  private attempts = 0;
  /** A workspace run: true once a process had it, until it ends with its context kept. */
  private contextAtRisk = false;
  private queueMs = 0;
  private hostCalls = 0;
  /** Which run of its isolate this was, as the sandbox said at the end. */
  private isolateRun: number | undefined;
  private cause: Cause | undefined;
  private stopTimer: NodeJS.Timeout | undefined;
  private terminal: RunResult | undefined;
  private resolveResult!: (result: RunResult) => void;
  /** A durable run: entries into the isolate not yet reported idle (0: the code waits on host calls only). */
  private busyEntries = 0;
  private paused: PausedRun | undefined;
  /** Why a durable run stopped when its journal could not be written. */
  private journalError: ErrorData | undefined;

  /** @internal Sessions come from `executor.start()`. */
  constructor(setup: SessionSetup) {
    this.setup = setup;
    this.runId = setup.runId;
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.deadline = new Deadline(Math.max(0, setup.limits.timeoutMs - (setup.spentMs ?? 0)), () =>
      this.guard('ending it at its deadline', () => this.terminate({ kind: 'timeout', message: this.timeoutMessage() })),
    );
    this.pipeline = new CallPipeline({
      runId: setup.runId,
      tools: setup.tools,
      limits: setup.limits,
      approve: setup.approve,
      interceptors: setup.journal ? [setup.journal.interceptor, ...setup.interceptors] : setup.interceptors,
      journal: setup.journal,
      caller: setup.answers === 'caller' ? (call) => this.ask(call) : undefined,
      onNotice: setup.onNotice,
      storage: setup.storage,
      returnFiles: this.files.register,
      signal: () => (this.callsAbort ??= new AbortController()).signal,
      pauseClock: () => this.deadline.pause(),
      resumeClock: () => this.deadline.resume(),
    });
    if (observe.runStart.hasSubscribers || observe.runEnd.hasSubscribers) {
      this.observation = { runId: setup.runId, code: setup.code };
      observe.runStart.publish(this.observation);
    }
    const { signal } = setup;
    if (signal?.aborted) this.cancel(reasonText(signal.reason));
    else signal?.addEventListener('abort', () => this.guard('cancelling it', () => this.cancel(reasonText(signal.reason))), { once: true });
  }

  /** @internal Waits for a sandbox process and sends the run. Never rejects: a failure ends the run. */
  async begin(): Promise<void> {
    try {
      await this.sendRun();
    } catch (error) {
      this.fault('starting', error);
    }
  }

  private async sendRun(): Promise<void> {
    if (this.terminal) return;
    if (this.setup.fault) return this.finishFailed(this.setup.fault, 0, false);
    const { problem } = this.setup.normalized;
    if (problem) {
      const { kind, name, message, position, hint } = problem;
      return this.finishFailed({ kind, name, message, ...(position ? { line: position.line, column: position.column } : {}), ...(hint ? { hint } : {}) }, 0, false);
    }
    return this.dispatch();
  }

  /** Waits in line for a sandbox process (the clock stopped) and sends it the run; or to a fresh one in place of `lost`. */
  private async dispatch(lost?: SandboxProcess): Promise<void> {
    let process: SandboxProcess;
    try {
      // A run that ends while it waits in line gives up its place.
      const abandoned = () => this.terminal !== undefined;
      process = await (lost ? this.setup.pool.replace(lost, this.setup.lane, abandoned) : this.setup.pool.acquire(this.setup.lane, abandoned, this.setup.affinity));
    } catch (error) {
      if (this.terminal) return;
      if (error instanceof CodemodeError && error.code === 'SANDBOX_START_FAILED') return this.finishFailed(noSandbox(error));
      if (error instanceof CodemodeError) return this.finishFailed({ kind: 'cancelled', name: 'Error', message: error.message });
      return this.finishFailed({ kind: 'crashed', name: 'Error', message: error instanceof Error ? error.message : String(error) });
    }
    if (this.attempts++ === 0) this.queueMs = performance.now() - this.startedAt;
    if (this.terminal) return this.setup.pool.release(process);
    this.process = process;
    this.inbox = new SandboxInbox(this.setup.limits);
    process.onMessage = (message) => this.receive(message);
    process.onExit = (exit) => this.guard('ending it after its process exited', () => this.lost(exit));
    this.deadline.resume();
    const { normalized, limits } = this.setup;
    if (this.setup.workspace) this.contextAtRisk = true;
    this.busyEntries = 1;
    process.send({
      type: 'run',
      runId: this.runId,
      source: normalized.source,
      tools: this.setup.tools.names(),
      workflows: [...(this.setup.workflows ?? [])],
      limits: {
        memoryLimitMb: limits.memoryLimitMb,
        maxLogChars: limits.maxLogChars,
        maxValueChars: limits.maxValueChars,
        maxDepth: limits.maxDepth,
        maxHostCalls: limits.maxHostCalls,
      },
      budgetMs: this.deadline.remaining(),
      ...(this.setup.workspace ? { keep: true } : {}),
      ...(this.setup.journal ? { durable: this.setup.journal.clock } : {}),
      affinity: this.setup.affinity,
      ...(this.setup.modules?.length ? { modules: moduleLoads(process, this.setup.modules) } : {}),
    });
    this.replayNext();
  }

  /** The next event: a host call to answer, or the run's end (returned again on every later call). */
  nextEvent(): Promise<SessionEvent> {
    if (this.terminal) return Promise.resolve(this.terminal);
    const event = this.events.shift();
    if (event) return Promise.resolve(event);
    return new Promise((resolve) => this.wakers.push(() => resolve(this.nextEvent())));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<SessionEvent> {
    for (;;) {
      const event = await this.nextEvent();
      yield event;
      if (event.type !== 'host_call') return;
    }
  }

  /**
   * Resolves the call's promise inside the isolate with a copy of `value` (the value goes back through the
   * run's interceptors, then is encoded). Throws `CodemodeError` (`UNKNOWN_CALL`) for a call that is not
   * waiting; does nothing once the run has ended.
   */
  submitResult(callId: number, value: unknown): void {
    this.claim(callId)?.resolve(value);
  }

  /**
   * Rejects the call's promise inside the isolate. A `ToolError` keeps its kind and hint; any other error
   * becomes kind `host`. Only the name and message cross, never the host object or its stack.
   */
  submitError(callId: number, error: unknown): void {
    this.claim(callId)?.reject(error);
  }

  /**
   * Answers the call by running its registered tool, as `run()` would (its output is checked against the
   * tool's schema). For a call whose approval is `ask`, calling this means the caller allowed it.
   */
  callTool(callId: number): void {
    this.claim(callId)?.resolve(CALL_TOOL);
  }

  /** Ends the run with kind `cancelled`. Safe to call at any time, also after the end. */
  cancel(reason?: string): void {
    this.terminate({ kind: 'cancelled', message: reason ? `the run was cancelled: ${reason}` : 'the run was cancelled' });
  }

  private claim(callId: number): WaitingCall | undefined {
    if (this.terminal) return undefined;
    const call = this.waiting.get(callId);
    if (call) {
      this.waiting.delete(callId);
      this.answered.add(callId);
      return call;
    }
    if (this.answered.has(callId)) throw new CodemodeError('UNKNOWN_CALL', `call ${callId} of run ${this.runId} was already answered`);
    throw new CodemodeError('UNKNOWN_CALL', `run ${this.runId} has no host call ${callId} waiting for an answer`);
  }

  /** The pipeline's answer to one call, on its way back to the isolate. */
  private readonly answer = (result: CallResult): void => {
    this.openCalls--;
    this.outgoing.push(result);
    // Answers that arrive in the same tick travel in one message (Promise.all of many calls).
    if (this.outgoing.length === 1) queueMicrotask(() => this.flush());
  };

  private flush(): void {
    const journal = this.setup.journal;
    // Live results of a replay wait until the recorded deliveries are in: they came after them.
    if (journal?.replaying) return;
    const results = this.outgoing;
    this.outgoing = [];
    if (results.length === 0 || this.terminal || this.cause) return;
    if (!journal) return this.deliver(results);
    // The code sees a delivery only once it is recorded.
    this.busyEntries++;
    journal.deliver(results).then(
      (at) => this.deliver(results, at),
      (error: unknown) => this.guard('recording a delivery', () => this.journalFailed(error)),
    );
  }

  private deliver(results: CallResult[], at?: number): void {
    if (this.terminal || this.cause) return;
    this.process?.send({ type: 'results', runId: this.runId, results, budgetMs: this.deadline.remaining(), ...(at === undefined ? {} : { at }) });
  }

  /** A replay: the recorded deliveries whose calls the code made again go to it, in their order. */
  private replayNext(): void {
    const journal = this.setup.journal;
    if (!journal || !this.process) return;
    for (let next = journal.nextReplay(); next; next = journal.nextReplay()) {
      this.busyEntries++;
      this.deliver(next.results, next.at);
    }
    if (!journal.replaying && this.outgoing.length > 0) this.flush();
  }

  /**
   * A durable run whose code waits on host calls only: if every open call waits for a person, the run
   * pauses; if none is open and a recorded delivery still waits for a call, the code took another path.
   */
  private quiet(): void {
    const journal = this.setup.journal!;
    if (this.busyEntries > 0 || this.terminal || this.cause) return;
    const stalled = this.openCalls === 0 ? journal.stalled() : undefined;
    if (stalled) return this.terminate({ kind: 'diverged', message: `the run diverged from its journal: ${stalled}` });
    if (this.outgoing.length > 0 || this.openCalls === 0 || this.openCalls !== journal.heldCalls || journal.replaying) return;
    journal.pause().then(
      (pending) =>
        this.guard('pausing it', () => {
          const { maxDepth, maxValueChars } = this.setup.limits;
          this.paused = { runId: this.runId, pending: pending.map((call) => ({ callId: call.callId, name: call.name, input: decodeValue(call.input, maxDepth, maxValueChars) })) };
          const names = [...new Set(pending.map((call) => `codemode.${call.name}`))].join(', ');
          this.terminate({ kind: 'paused', message: `the run is paused until a person decides on ${pending.length} call${pending.length === 1 ? '' : 's'} (${names})` });
        }),
      (error: unknown) => this.guard('pausing it', () => this.journalFailed(error)),
    );
  }

  /** The journal could not be written: the run stops, since nothing may run unrecorded. */
  private journalFailed(error: unknown): void {
    if (this.terminal) return;
    const detail = error instanceof Error ? error.message : String(error);
    const data: ErrorData = { kind: 'crashed', name: 'Error', message: `the journal of this durable run could not be written, so it stopped: ${detail}`, hint: JOURNAL_HINT };
    this.cause ??= { kind: 'cancelled', message: data.message };
    if (this.process) {
      this.process.send({ type: 'stop', runId: this.runId, reason: 'cancelled' });
      this.stopTimer = setTimeout(() => this.process?.kill(), STOP_GRACE_MS);
    }
    this.journalError = data;
    if (!this.process) this.finishFailed(data);
  }

  /** The one door for what the sandbox process sends: checked, then acted on; nothing here may throw. */
  private receive(raw: unknown): void {
    if (this.terminal || !this.inbox) return;
    try {
      const checked = this.inbox.check(raw);
      if (!checked.ok) {
        reportFault(`reading a message of run ${this.runId}`, new Error(`the sandbox process broke the protocol: ${checked.problem}`));
        return this.finishFailed({ kind: 'crashed', name: 'Error', message: `the sandbox process sent a malformed message (${checked.problem}); it was retired` });
      }
      const message = checked.message;
      if (message.type === 'started' && message.runId === this.runId) this.started = true;
      if (message.type !== 'out' || message.runId !== this.runId) return;
      this.started = true;
      for (const entry of message.logs) this.log(entry);
      const journal = this.setup.journal;
      if (!this.cause) {
        for (const call of message.calls) {
          this.hostCalls++;
          const admission = journal?.admit(call);
          if (admission?.type === 'replay') continue;
          if (admission?.type === 'diverged') {
            this.terminate({ kind: 'diverged', message: `the run diverged from its journal: ${admission.message}` });
            break;
          }
          this.openCalls++;
          this.pipeline.handle(call).then(this.answer, this.onPipelineFault);
        }
      }
      if (message.end) return this.ended(message.end);
      if (journal && !this.cause) {
        this.replayNext();
        if (message.idle) this.busyEntries--;
        this.quiet();
      }
    } catch (error) {
      this.fault('reading a sandbox message', error);
    }
  }

  /** The pipeline never rejects; if it does anyway, that is the host's fault and ends the run. */
  private readonly onPipelineFault = (error: unknown): void => this.fault('checking a host call', error);

  private guard(what: string, body: () => void): void {
    try {
      body();
    } catch (error) {
      this.fault(what, error);
    }
  }

  /**
   * The host failed while handling this run: the run ends as `crashed` (its process is retired, as after any
   * unclean end) and the operator gets one warning. Never throws.
   */
  private fault(what: string, error: unknown): void {
    reportFault(`${what} of run ${this.runId}`, error);
    if (this.terminal) return;
    const data: ErrorData = { kind: 'crashed', name: 'Error', message: `the host failed while ${what} (${describeFault(error).slice(0, 300)})`, hint: HOST_FAULT_HINT };
    try {
      this.finishFailed(data);
    } catch {
      this.finish({ type: 'failed', ok: false, error: data, logs: this.logs, stats: this.stats(0) });
    }
  }

  private log(entry: LogEntry): void {
    if (entry.text.includes(CODE_FILENAME)) entry = { level: entry.level, text: mapPositions(entry.text, this.setup.normalized.toOriginal) };
    if (this.setup.mapFrames) entry = { level: entry.level, text: this.setup.mapFrames(entry.text) };
    this.logs.push(entry);
    if (observe.log.hasSubscribers) observe.log.publish({ runId: this.runId, level: entry.level, text: entry.text } satisfies observe.LogObservation);
    try {
      this.setup.onLog?.(entry);
    } catch {
      // A throwing listener must not end the run.
    }
  }

  /** The pipeline's last stage in step mode: the call becomes an event, and waits for the caller. */
  private ask(call: HostCall): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.set(call.callId, { resolve, reject });
      this.emit({ type: 'host_call', callId: call.callId, name: call.name, input: call.input, approval: call.approval, signal: call.signal });
    });
  }

  private emit(event: HostCallRequest): void {
    this.events.push(event);
    this.wakers.shift()?.();
  }

  private timeoutMessage(): string {
    return `the run exceeded its ${this.setup.limits.timeoutMs} ms time limit`;
  }

  /** Asks the sandbox to stop the run; if it does not answer in time, its process is killed. */
  private terminate(cause: Cause): void {
    if (this.terminal || this.cause) return;
    this.cause = cause;
    if (!this.process) {
      this.finishFailed({ kind: cause.kind, name: 'Error', message: cause.message });
      return;
    }
    this.process.send({ type: 'stop', runId: this.runId, reason: cause.kind === 'timeout' ? 'timeout' : 'cancelled' });
    this.stopTimer = setTimeout(() => this.process?.kill(), STOP_GRACE_MS);
  }

  private ended(end: RunEnd): void {
    // Only a run that returned while calls were open forgot an await; one that threw left them open on purpose.
    const unfinished = end.ok ? end.stats.pendingCalls : [];
    if (unfinished.length > 0) {
      const distinct = [...new Set(unfinished)];
      const names = distinct.slice(0, 5).join(', ') + (distinct.length > 5 ? ` and ${distinct.length - 5} more` : '');
      this.log({ level: 'warn', text: `[codemode] ${unfinished.length} host call${unfinished.length === 1 ? '' : 's'} (${names}) had not finished when the code ended; await every call.` });
    }
    if (end.kept) this.contextAtRisk = false;
    this.isolateRun = end.stats.isolateRun;
    const process = this.process;
    this.process = undefined;
    if (process) this.setup.pool.release(process);
    if (this.cause) return this.finishFailed(this.journalError ?? { kind: this.cause.kind, name: 'Error', message: this.cause.message }, end.stats.cpuMs);
    const unmade = this.setup.journal?.unmade();
    if (unmade) return this.finishFailed({ kind: 'diverged', name: 'Error', message: `the run diverged from its journal: ${unmade}` }, end.stats.cpuMs);
    if (!end.ok) {
      // The isolate's own timeout and the host's deadline are one limit: one message.
      const error = end.error.kind === 'timeout' ? { ...end.error, name: 'Error', message: this.timeoutMessage() } : end.error;
      return this.finishFailed(error, end.stats.cpuMs);
    }
    let value: unknown;
    try {
      value = decodeValue(end.value, this.setup.limits.maxDepth, this.setup.limits.maxValueChars);
    } catch (error) {
      // Past the caps: what the harness refuses as `output_limit` when its built-ins are intact.
      const { code, message } = error as { code?: string; message: string };
      if (code === 'too_large' || code === 'too_deep') {
        return this.finishFailed({ kind: 'output_limit', name: 'RangeError', message: `the return value cannot be sent back: ${message.replace(/^the value/, 'the return value')}` }, end.stats.cpuMs);
      }
      return this.finishFailed({ kind: 'crashed', name: 'Error', message: `the sandbox sent a malformed result: ${message}` }, end.stats.cpuMs);
    }
    this.finish({ type: 'completed', ok: true, value, logs: this.logs, stats: this.stats(end.stats.cpuMs) });
  }

  /**
   * A durable run that completed or failed in its code says so in its journal (a replay gives the same
   * result anyway). One that stopped for another reason (paused, timed out, cancelled, lost) can go on.
   */
  private async endJournal(result: RunResult): Promise<void> {
    const journal = this.setup.journal;
    if (!journal) return;
    const outcome = result.ok ? 'completed' : result.error.kind;
    if (['paused', 'diverged', 'timeout', 'cancelled', 'crashed', 'memory'].includes(outcome)) return;
    try {
      await journal.end(outcome);
    } catch (error) {
      reportFault(`recording the end of durable run ${this.runId}`, error);
    }
  }

  /** A workspace run: the workspace hears how the run left its variables; a loss is said in the result. */
  private workspaceEnded(result: RunResult): void {
    let note: string | undefined;
    try {
      note = this.setup.workspace?.ended(!this.contextAtRisk);
    } catch (error) {
      reportFault(`ending workspace run ${this.runId}`, error);
    }
    if (!note) return;
    // A run that completed on a fresh process (its first one died before it started) says so in its logs.
    if (result.ok) this.log({ level: 'warn', text: `[codemode] ${note}` });
    else result.error.message += `\n${note}`;
  }

  /** The sandbox process died under this run. */
  private lost(exit: ProcessExit): void {
    const process = this.process;
    this.process = undefined;
    // Killed from outside (e.g. the OOM killer) before it took the run: the code never ran, so run it again.
    if (process && !this.started && this.attempts === 1 && !this.cause && !this.setup.pool.isClosed) {
      this.deadline.pause();
      void this.dispatch(process);
      return;
    }
    if (process) this.setup.pool.discard(process);
    if (this.cause) return this.finishFailed(this.journalError ?? { kind: this.cause.kind, name: 'Error', message: this.cause.message });
    if (this.setup.pool.isClosed) return this.finishFailed({ kind: 'cancelled', name: 'Error', message: 'the run was cancelled: the sandbox runtime was closed' });
    this.finishFailed({ kind: 'crashed', name: 'Error', message: `the sandbox process died (${describeExit(exit)})` });
  }

  /**
   * `positionsInSource`: the sandbox reports positions in the script it ran; they are mapped back to the code
   * as sent. Problems found before running already point into the code as sent.
   */
  private finishFailed(data: HostErrorData, cpuMs = 0, positionsInSource = true): void {
    const { limits, code, normalized } = this.setup;
    const error: RunError = { kind: data.kind, name: data.name, message: data.message };
    if (data.stack) error.stack = mapPositions(data.stack, normalized.toOriginal);
    if (error.stack && this.setup.mapFrames) error.stack = this.setup.mapFrames(error.stack);
    const position =
      data.line === undefined ? undefined : positionsInSource ? normalized.toOriginal({ line: data.line, column: data.column ?? 1 }) : { line: data.line, column: data.column ?? 1 };
    if (position) {
      error.line = position.line;
      error.column = position.column;
      const frame = codeFrame(code, position.line, position.column);
      if (frame) error.frame = frame;
    }
    error.hint = data.hint ?? hintFor(data.kind, limits, data.name);
    const failed: RunFailed = { type: 'failed', ok: false, error, logs: this.logs, stats: this.stats(cpuMs) };
    if (data.kind === 'paused' && this.paused) failed.paused = this.paused;
    this.finish(failed);
  }

  private stats(cpuMs: number): RunStats {
    const stats: RunStats = { durationMs: performance.now() - this.startedAt + (this.setup.spentMs ?? 0), queueMs: this.queueMs, cpuMs, hostCalls: this.hostCalls };
    if (this.isolateRun !== undefined) stats.isolateRun = this.isolateRun;
    return stats;
  }

  private finish(result: RunResult): void {
    if (this.terminal) return;
    this.terminal = result;
    Object.assign(result, this.files.collect(this.runId, this.setup.limits.maxFilesBytes));
    this.deadline.clear();
    clearTimeout(this.stopTimer);
    if (this.openCalls > 0) this.callsAbort?.abort(new Error('the run ended'));
    this.pipeline.close();
    // Calls the caller never answered settle, so interceptors waiting on them finish (their answers are dropped).
    for (const call of this.waiting.values()) call.reject(new Error('the run ended'));
    this.waiting.clear();
    this.events.length = 0;
    // A process still attached here did not finish the run cleanly (stop unanswered): never reuse it.
    if (this.process) {
      this.setup.pool.discard(this.process);
      this.process = undefined;
    }
    this.workspaceEnded(result);
    for (const wake of this.wakers.splice(0)) wake();
    const seen = this.observation;
    if (observe.runEnd.hasSubscribers) {
      const ended = seen ?? { runId: this.runId, code: this.setup.code };
      ended.result = result;
      ended.outcome = result.ok ? 'completed' : result.error.kind;
      ended.durationMs = result.stats.durationMs;
      ended.hostCalls = result.stats.hostCalls;
      observe.runEnd.publish(ended);
    }
    // A durable run's result is out once its journal says how it ended.
    if (this.setup.journal) void this.endJournal(result).then(() => this.resolveResult(result));
    else this.resolveResult(result);
  }
}

/** A run that got no sandbox process: the cause (without the operator's hint) and a hint of its own. */
function noSandbox(error: CodemodeError): ErrorData {
  const cause = error.message.split('\nHint: ')[0]!;
  return { kind: 'crashed', name: 'Error', message: `no sandbox process could start, so the code did not run: ${cause}`, hint: NO_SANDBOX_HINT };
}

function reasonText(reason: unknown): string | undefined {
  if (reason instanceof Error) return reason.name === 'AbortError' ? undefined : reason.message;
  return typeof reason === 'string' ? reason : undefined;
}
