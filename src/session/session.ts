// One run, step by step. The session owns the run's sandbox process lease, its deadline and its pending
// host calls; it turns sandbox messages into events, answers calls it can decide itself (unknown tool, bad
// input, denied, approval callback), and ends the run exactly once: the first cause of the end wins.
import { decodeValue, encodeValue } from '../bridge/codec.js';
import { CODE_FILENAME, type CallErrorKind, type CallResult, type ErrorData, type HostCallData, type LogEntry, type RunEnd } from '../bridge/protocol.js';
import { SandboxInbox } from '../bridge/validate.js';
import { CodemodeError } from '../errors.js';
import { describeFault, reportFault } from '../fault.js';
import type { Approver, ResolvedLimits } from '../executor/options.js';
import type { SandboxPool } from '../runtime/pool.js';
import { describeExit, type ProcessExit, type SandboxProcess } from '../runtime/sandbox-process.js';
import type { Normalized } from '../normalize/normalize.js';
import { ToolError } from '../tools/tool-error.js';
import type { ToolRegistry } from '../tools/registry.js';
import { Deadline } from './deadline.js';
import type { HostCallRequest, RunError, RunFailed, RunResult, SessionEvent } from './events.js';
import { codeFrame, HOST_FAULT_HINT, hintFor, NO_SANDBOX_HINT } from './hints.js';
import { mapPositions } from './positions.js';

/** How long a sandbox process may take to acknowledge a stop before it is killed. */
const STOP_GRACE_MS = 250;

/** What the executor hands a new session. */
export interface SessionSetup {
  runId: string;
  code: string;
  normalized: Normalized;
  /** The host failed before the run could start (e.g. reading the code): the run ends with this at once. */
  fault?: ErrorData | undefined;
  registry: ToolRegistry;
  pool: SandboxPool;
  /** The run's place in the pool's fair line (executor and tenant). */
  lane: string;
  limits: ResolvedLimits;
  approve: Approver | undefined;
  onLog: ((entry: LogEntry) => void) | undefined;
  signal: AbortSignal | undefined;
}

interface PendingCall {
  name: string;
  /** True once the HostCallRequest went out; before that the session is still deciding. */
  emitted: boolean;
}

type Cause = { kind: 'timeout' | 'cancelled'; message: string };

export class Session implements AsyncIterable<SessionEvent> {
  readonly runId: string;
  /** Resolves with the terminal event when the run ends. */
  readonly result: Promise<RunResult>;

  private readonly setup: SessionSetup;
  private readonly deadline: Deadline;
  private readonly events: SessionEvent[] = [];
  private readonly wakers: Array<() => void> = [];
  private readonly pending = new Map<number, PendingCall>();
  private readonly answered = new Set<number>();
  private readonly logs: LogEntry[] = [];
  private readonly startedAt = performance.now();
  /** One signal for every host call of the run, aborted when the run ends; made at the first call. */
  private callsAbort: AbortController | undefined;
  /** Approval questions still open; withdrawn when the run ends. */
  private readonly approvals = new Set<AbortController>();
  private outgoing: CallResult[] = [];
  private process: SandboxProcess | undefined;
  /** Checks what the run's sandbox process sends, before anything reads it. */
  private inbox: SandboxInbox | undefined;
  /** True once the sandbox process confirmed it has the run, i.e. the model's code may have run. */
  private started = false;
  /** Processes the run was sent to; a run lost before it started goes to a fresh process, once. */
  private attempts = 0;
  private queueMs = 0;
  private hostCalls = 0;
  private cause: Cause | undefined;
  private stopTimer: NodeJS.Timeout | undefined;
  private terminal: RunResult | undefined;
  private resolveResult!: (result: RunResult) => void;

  /** @internal Sessions come from `executor.start()`. */
  constructor(setup: SessionSetup) {
    this.setup = setup;
    this.runId = setup.runId;
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.deadline = new Deadline(setup.limits.timeoutMs, () => this.guard('ending it at its deadline', () => this.terminate({ kind: 'timeout', message: this.timeoutMessage() })));
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
      const { name, message, position, hint } = problem;
      return this.finishFailed({ kind: 'syntax', name, message, line: position.line, column: position.column, ...(hint ? { hint } : {}) }, 0, false);
    }
    return this.dispatch();
  }

  /** Waits in line for a sandbox process (the clock stopped) and sends it the run; or to a fresh one in place of `lost`. */
  private async dispatch(lost?: SandboxProcess): Promise<void> {
    let process: SandboxProcess;
    try {
      // A run that ends while it waits in line gives up its place.
      const abandoned = () => this.terminal !== undefined;
      process = await (lost ? this.setup.pool.replace(lost, this.setup.lane, abandoned) : this.setup.pool.acquire(this.setup.lane, abandoned));
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
    process.send({
      type: 'run',
      runId: this.runId,
      source: normalized.source,
      tools: this.setup.registry.names(),
      limits: {
        memoryLimitMb: limits.memoryLimitMb,
        maxLogChars: limits.maxLogChars,
        maxValueChars: limits.maxValueChars,
        maxDepth: limits.maxDepth,
        maxHostCalls: limits.maxHostCalls,
      },
      budgetMs: this.deadline.remaining(),
    });
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

  /** Resolves the call's promise inside the isolate with a copy of `value`. */
  submitResult(callId: number, value: unknown): void {
    const call = this.claim(callId);
    if (!call) return;
    let encoded: string;
    try {
      encoded = encodeValue(value, this.setup.limits.maxValueChars, this.setup.limits.maxDepth);
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^the value/, 'the result') : String(error);
      this.answer({ callId, ok: false, error: { kind: 'host', name: 'Error', message: `codemode.${call.name} returned a result that cannot be sent to the code: ${detail}` } });
      return;
    }
    this.answer({ callId, ok: true, value: encoded });
  }

  /**
   * Rejects the call's promise inside the isolate. A `ToolError` keeps its kind and hint; any other error
   * becomes kind `host`. Only the name and message cross, never the host object or its stack.
   */
  submitError(callId: number, error: unknown): void {
    const call = this.claim(callId);
    if (!call) return;
    this.answer({ callId, ok: false, error: toCallError(error) });
  }

  /** Ends the run with kind `cancelled`. Safe to call at any time, also after the end. */
  cancel(reason?: string): void {
    this.terminate({ kind: 'cancelled', message: reason ? `the run was cancelled: ${reason}` : 'the run was cancelled' });
  }

  private claim(callId: number): PendingCall | undefined {
    if (this.terminal) return undefined;
    const call = this.pending.get(callId);
    if (call?.emitted) {
      this.pending.delete(callId);
      this.answered.add(callId);
      return call;
    }
    if (this.answered.has(callId)) throw new CodemodeError('UNKNOWN_CALL', `call ${callId} of run ${this.runId} was already answered`);
    throw new CodemodeError('UNKNOWN_CALL', `run ${this.runId} has no host call ${callId} waiting for an answer`);
  }

  private answer(result: CallResult): void {
    this.outgoing.push(result);
    // Answers that arrive in the same tick travel in one message (Promise.all of many calls).
    if (this.outgoing.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const results = this.outgoing;
    this.outgoing = [];
    if (results.length === 0 || this.terminal || this.cause) return;
    this.process?.send({ type: 'results', runId: this.runId, results, budgetMs: this.deadline.remaining() });
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
      if (!this.cause) for (const call of message.calls) this.decide(call).catch((error: unknown) => this.fault('checking a host call', error));
      if (message.end) this.ended(message.end);
    } catch (error) {
      this.fault('reading a sandbox message', error);
    }
  }

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
    this.logs.push(entry);
    try {
      this.setup.onLog?.(entry);
    } catch {
      // A throwing listener must not end the run.
    }
  }

  /** Everything the session can settle without the caller: unknown tool, bad input, deny, approval. */
  private async decide(data: HostCallData): Promise<void> {
    this.hostCalls++;
    const call: PendingCall = { name: data.name, emitted: false };
    this.pending.set(data.callId, call);
    const reject = (kind: CallErrorKind, name: string, message: string, hint?: string) => {
      this.pending.delete(data.callId);
      this.answered.add(data.callId);
      this.answer({ callId: data.callId, ok: false, error: { kind, name, message, ...(hint ? { hint } : {}) } });
    };
    const { registry, limits } = this.setup;
    const tool = registry.get(data.name);
    if (!tool) return reject('runtime', 'TypeError', registry.unknownToolMessage(data.name));
    let input: unknown;
    try {
      input = decodeValue(data.input, limits.maxDepth, limits.maxValueChars);
    } catch (error) {
      return reject('invalid_input', 'TypeError', `codemode.${data.name}: ${(error as Error).message.replace(/^the value/, 'the input')}`);
    }
    let checked = registry.checkInput(tool, input);
    if (checked instanceof Promise) {
      checked = await checked;
      if (this.terminal) return;
    }
    if (!checked.ok) return reject('invalid_input', 'TypeError', checked.message, hintFor('invalid_input', limits, 'TypeError'));
    if (tool.approval === 'deny') return reject('denied', 'PermissionDenied', `codemode.${data.name} is not allowed on this host`);
    let approval: HostCallRequest['approval'] = tool.approval === 'ask' ? 'ask' : 'auto';
    if (approval === 'ask' && this.setup.approve) {
      const allowed = await this.askApprover(data.callId, tool.fullName, tool.definition.description, checked.value);
      if (this.terminal) return;
      if (allowed !== true) return reject('denied', 'PermissionDenied', `codemode.${data.name} was not approved${allowed === '' ? '' : `: ${allowed}`}`);
      approval = 'approved';
    }
    call.emitted = true;
    this.emit({ type: 'host_call', callId: data.callId, name: data.name, input: checked.value, approval, signal: (this.callsAbort ??= new AbortController()).signal });
  }

  /** Runs the approval callback with the deadline paused: true, or why the call is refused ('' for no reason). */
  private async askApprover(callId: number, name: string, description: string, input: unknown): Promise<true | string> {
    this.deadline.pause();
    const { approvalTimeoutMs } = this.setup.limits;
    const controller = new AbortController();
    this.approvals.add(controller);
    const timer = setTimeout(() => controller.abort(new Error(`no decision within ${approvalTimeoutMs} ms`)), approvalTimeoutMs);
    try {
      // Settles when the question is withdrawn: timed out, or the run ended (finish() aborts it).
      const withdrawn = new Promise<string>((resolve) => {
        controller.signal.addEventListener('abort', () => resolve((controller.signal.reason as Error).message), { once: true });
      });
      const request = { runId: this.runId, callId, name, input, description, signal: controller.signal };
      const decision = Promise.resolve().then(() => this.setup.approve!(request));
      const outcome = await Promise.race([decision, withdrawn]);
      if (typeof outcome === 'string') return outcome;
      if (outcome === true) return true;
      if (typeof outcome === 'object' && outcome !== null) return outcome.allowed === true ? true : (outcome.reason ?? '');
      return '';
    } catch (error) {
      return `the approver failed (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      clearTimeout(timer);
      this.approvals.delete(controller);
      this.deadline.resume();
    }
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
    this.process.send({ type: 'stop', runId: this.runId, reason: cause.kind });
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
    const process = this.process;
    this.process = undefined;
    if (process) this.setup.pool.release(process);
    if (this.cause) return this.finishFailed({ kind: this.cause.kind, name: 'Error', message: this.cause.message }, end.stats.cpuMs);
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
    if (this.cause) return this.finishFailed({ kind: this.cause.kind, name: 'Error', message: this.cause.message });
    if (this.setup.pool.isClosed) return this.finishFailed({ kind: 'cancelled', name: 'Error', message: 'the run was cancelled: the sandbox runtime was closed' });
    this.finishFailed({ kind: 'crashed', name: 'Error', message: `the sandbox process died (${describeExit(exit)})` });
  }

  /**
   * `positionsInSource`: the sandbox reports positions in the script it ran; they are mapped back to the code
   * as sent. Problems found before running already point into the code as sent.
   */
  private finishFailed(data: ErrorData, cpuMs = 0, positionsInSource = true): void {
    const { limits, code, normalized } = this.setup;
    const error: RunError = { kind: data.kind, name: data.name, message: data.message };
    if (data.stack) error.stack = mapPositions(data.stack, normalized.toOriginal);
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
    this.finish(failed);
  }

  private stats(cpuMs: number) {
    return { durationMs: performance.now() - this.startedAt, queueMs: this.queueMs, cpuMs, hostCalls: this.hostCalls };
  }

  private finish(result: RunResult): void {
    if (this.terminal) return;
    this.terminal = result;
    this.deadline.clear();
    clearTimeout(this.stopTimer);
    if (this.pending.size > 0) this.callsAbort?.abort(new Error('the run ended'));
    for (const approval of this.approvals) approval.abort(new Error('the run ended'));
    this.pending.clear();
    this.events.length = 0;
    // A process still attached here did not finish the run cleanly (stop unanswered): never reuse it.
    if (this.process) {
      this.setup.pool.discard(this.process);
      this.process = undefined;
    }
    for (const wake of this.wakers.splice(0)) wake();
    this.resolveResult(result);
  }
}

function toCallError(error: unknown): Extract<CallResult, { ok: false }>['error'] {
  if (error instanceof ToolError) return { kind: error.kind, name: error.name, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (error instanceof Error) return { kind: 'host', name: error.name || 'Error', message: error.message };
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    const { kind, name, message, hint } = error as { kind?: unknown; name?: unknown; message: string; hint?: unknown };
    const allowed: CallErrorKind[] = ['host', 'denied', 'invalid_input'];
    return {
      kind: allowed.includes(kind as CallErrorKind) ? (kind as CallErrorKind) : 'host',
      name: typeof name === 'string' ? name : 'Error',
      message,
      ...(typeof hint === 'string' ? { hint } : {}),
    };
  }
  return { kind: 'host', name: 'Error', message: String(error) };
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
