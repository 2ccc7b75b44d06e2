// One pipeline for every host call of a run, from the sandbox's message to the answer the code gets:
//
//   observe → resolve the name → decode → validate the input → policy (deny / ask → approval)
//           → interceptors → answer (the registered tool, or a step-mode caller) → validate the output → encode
//
// Every stage that refuses a call answers it as data (an error with a kind the code can catch); nothing
// here throws to the session or to the caller. One pipeline per run: its tool set, approver and
// interceptors are fixed when the run starts, and its interceptor chain is composed once.
import { decodeValue, encodeValue } from '../bridge/codec.js';
import type { CallErrorKind, CallResult, HostCallData } from '../bridge/protocol.js';
import { callEnd, callStart, type CallObservation } from '../observe/channels.js';
import { hintFor, type HintLimits } from '../results/hints.js';
import type { RegisteredTool, ToolSet } from '../tools/registry.js';
import { ToolError } from '../tools/tool-error.js';
import { Approvals, decided, type Approver, type JournaledApprovals } from './approval.js';
import type { ToolContext, ToolNotice } from '../tools/define.js';
import { composeInterceptors, type CallApproval, type CallHandler, type CallNotice, type HostCall, type Interceptor } from './call.js';
import { checkInput, checkOutput } from './validate.js';

/** What a step-mode caller's answer may be besides a value: "run the registered tool". */
export const CALL_TOOL: unique symbol = Symbol('codemode.callTool');

export interface PipelineLimits extends HintLimits {
  readonly maxDepth: number;
  readonly maxValueChars: number;
  readonly approvalTimeoutMs: number;
}

export interface PipelineSetup {
  readonly runId: string;
  /** The tool set as it was when the run started. */
  readonly tools: ToolSet;
  readonly limits: PipelineLimits;
  readonly approve: Approver | undefined;
  /** The executor's, then the run's. */
  readonly interceptors: readonly Interceptor[];
  /**
   * In step mode, the caller: resolves with the value for the code or `CALL_TOOL`, rejects with the error.
   * Without it the registered tools answer every call (`run()`), and calls that ask are denied.
   */
  readonly caller: ((call: HostCall) => Promise<unknown>) | undefined;
  /** A durable run's journal: its say in the approval stage (src/journal/). */
  readonly journal?: JournaledApprovals | undefined;
  /** Hears what tools report while they run; without it, tools get no `notify`. */
  readonly onNotice?: ((notice: CallNotice) => void) | undefined;
  /** Handed to every tool as `context.storage` and `context.returnFiles`. */
  readonly storage?: ToolContext['storage'];
  readonly returnFiles?: ToolContext['returnFiles'];
  /** The signal every call of the run gets (made on first use). */
  signal(): AbortSignal;
  /** Approval waits do not count against the run's time limit. */
  pauseClock(): void;
  resumeClock(): void;
}

export class CallPipeline {
  private readonly setup: PipelineSetup;
  private readonly chain: CallHandler;
  private readonly approvals: Approvals | undefined;
  private closed = false;

  constructor(setup: PipelineSetup) {
    this.setup = setup;
    this.chain = composeInterceptors(setup.interceptors, setup.caller ? answerWith(setup.caller) : invokeTool);
    this.approvals = setup.approve ? new Approvals(setup.approve, setup.limits.approvalTimeoutMs) : undefined;
  }

  /** Takes one call from the code to its answer. Never rejects. */
  handle(data: HostCallData): Promise<CallResult> {
    if (!callStart.hasSubscribers && !callEnd.hasSubscribers) return this.process(data, undefined);
    return this.observed(data);
  }

  /** The run ended: open approval questions are withdrawn, and calls still deciding go no further. */
  close(): void {
    this.closed = true;
    this.approvals?.withdrawAll();
  }

  private async observed(data: HostCallData): Promise<CallResult> {
    const seen: CallObservation = { runId: this.setup.runId, callId: data.callId, name: data.name };
    const startedAt = performance.now();
    // Subscribers' stores (bindStore) are entered around the whole call: a tracer's span is active while the tool runs.
    const result = await callStart.runStores(seen, this.process, this, data, seen);
    seen.durationMs = performance.now() - startedAt;
    if (result.ok) seen.outcome = 'ok';
    else {
      seen.outcome = result.error.kind;
      seen.error = { kind: result.error.kind, name: result.error.name, message: result.error.message };
    }
    if (callEnd.hasSubscribers) callEnd.publish(seen);
    return result;
  }

  private async process(data: HostCallData, seen: CallObservation | undefined): Promise<CallResult> {
    const { callId, name } = data;
    const { tools, limits } = this.setup;
    const tool = tools.get(name);
    if (!tool) return failure(callId, 'runtime', 'TypeError', tools.unknownToolMessage(name));
    let input: unknown;
    try {
      input = decodeValue(data.input, limits.maxDepth, limits.maxValueChars);
    } catch (error) {
      return failure(callId, 'invalid_input', 'TypeError', `codemode.${name}: ${(error as Error).message.replace(/^the value/, 'the input')}`);
    }
    let checked = checkInput(tool.definition, name, input);
    if (checked instanceof Promise) checked = await checked;
    if (!checked.ok) return failure(callId, 'invalid_input', 'TypeError', checked.message, hintFor('invalid_input', limits, 'TypeError'));
    if (seen) seen.input = checked.value;

    let approval: CallApproval | string = 'auto';
    if (tool.approval === 'deny') approval = `codemode.${name} is not allowed on this host`;
    else if (tool.approval === 'ask') approval = await this.approval(tool, callId, checked.value, data.input);
    if (seen) seen.approval = approval === 'auto' || approval === 'approved' || approval === 'ask' ? approval : 'denied';
    if (approval !== 'auto' && approval !== 'approved' && approval !== 'ask') return failure(callId, 'denied', 'PermissionDenied', approval);
    // The run ended while an approver decided: the answer would be dropped, and the tool must not run.
    if (this.closed) return failure(callId, 'host', 'Error', 'the run ended');

    const call: HostCall = {
      runId: this.setup.runId,
      callId,
      name,
      input: checked.value,
      tool: tool.definition,
      approval,
      signal: this.setup.signal(),
      notify: this.setup.onNotice && ((notice) => this.notice(callId, name, notice)),
      storage: this.setup.storage,
      returnFiles: this.setup.returnFiles,
    };
    let value: unknown;
    try {
      value = await this.chain(call);
    } catch (error) {
      return { callId, ok: false, error: toCallError(error) };
    }
    if (seen) seen.value = value;
    try {
      return { callId, ok: true, value: encodeValue(value, limits.maxValueChars, limits.maxDepth) };
    } catch (error) {
      const detail = error instanceof Error ? error.message.replace(/^the value/, 'the result') : String(error);
      return failure(callId, 'host', 'Error', `codemode.${name} returned a result that cannot be sent to the code: ${detail}`);
    }
  }

  /** A tool's notice goes to the listener while the run lasts; late ones, and a listener's failure, are dropped. */
  private notice(callId: number, name: string, notice: ToolNotice): void {
    if (this.closed) return;
    try {
      this.setup.onNotice?.({ ...notice, runId: this.setup.runId, callId, name });
    } catch {
      // A listener that throws must not fail the tool that reported.
    }
  }

  /** The approval stage, for a tool marked `ask`: how the call goes on, or why it is refused. */
  private async approval(tool: RegisteredTool, callId: number, input: unknown, encoded: string): Promise<CallApproval | string> {
    const name = tool.fullName;
    const journal = this.setup.journal;
    const journaled = journal?.approval(callId);
    if (journaled === 'approved') return 'approved';
    let answer: true | string;
    if (journaled !== undefined) {
      answer = decided(journaled);
    } else if (!this.approvals) {
      if (this.setup.caller) return 'ask';
      if (journal) return journal.hold(callId, name, encoded);
      return `codemode.${name} needs approval and no approver is configured`;
    } else {
      this.setup.pauseClock();
      try {
        answer = await this.approvals.ask({ runId: this.setup.runId, callId, name, input, description: tool.definition.description });
      } finally {
        this.setup.resumeClock();
      }
    }
    if (answer === true) journal?.approve(callId);
    return answer === true ? 'approved' : `codemode.${name} was not approved${answer === '' ? '' : `: ${answer}`}`;
  }
}

/** The last stage in `run()`: the registered tool runs, and its value must match its output schema. */
async function invokeTool(call: HostCall): Promise<unknown> {
  const output = await call.tool.run(call.input, call);
  let checked = checkOutput(call.tool, call.name, output);
  if (checked instanceof Promise) checked = await checked;
  if (!checked.ok) throw new Error(checked.message);
  return checked.value;
}

/** The last stage in step mode: the caller answers, or hands the call to its tool. */
function answerWith(caller: (call: HostCall) => Promise<unknown>): CallHandler {
  return async (call) => {
    const answer = await caller(call);
    return answer === CALL_TOOL ? invokeTool(call) : answer;
  };
}

function failure(callId: number, kind: CallErrorKind, name: string, message: string, hint?: string): CallResult {
  return { callId, ok: false, error: hint ? { kind, name, message, hint } : { kind, name, message } };
}

/** A ToolError keeps its kind and hint; any other error becomes kind `host`. Only name and message cross. */
export function toCallError(error: unknown): Extract<CallResult, { ok: false }>['error'] {
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
