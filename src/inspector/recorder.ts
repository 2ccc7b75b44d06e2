// What the inspector keeps of recent runs: a bounded book filled from the observation channels
// (src/observe/channels.ts). Only runs started inside `track()` are kept, so two servers in one process,
// or an executor used beside the server, do not show up on each other's page. Everything kept is text,
// cut to a size, so the book's memory is bounded by its caps whatever the runs do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { callEnd, callStart, log, runEnd, runStart, type CallObservation, type LogObservation, type RunObservation } from '../observe/channels.js';
import type { ErrorKind, LogLevel } from '../results/types.js';
import { preview } from './preview.js';

/** Caps of what is kept per run; the book holds `maxRuns` of them. */
export const BOOK_CAPS = {
  codeChars: 50_000,
  logEntries: 200,
  logChars: 500,
  calls: 200,
  valueChars: 1_000,
  /** Files named per run (path, size, type; never their bytes). */
  files: 50,
};

export interface CallRecord {
  callId: number;
  name: string;
  /** Epoch milliseconds. */
  startedAt: number;
  input?: string;
  approval?: string;
  outcome?: 'ok' | ErrorKind;
  value?: string;
  error?: { kind: ErrorKind; name: string; message: string };
  durationMs?: number;
}

export interface RunSummary {
  runId: string;
  /** The MCP session the run came from, when there is one. */
  session?: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** `running`, `completed`, or the failed run's error kind. */
  status: 'running' | 'completed' | ErrorKind;
  durationMs?: number;
  calls: number;
}

export interface RunDetail extends RunSummary {
  code: string;
  logs: { level: LogLevel; text: string }[];
  /** Console entries and calls past the caps, counted but not kept. */
  droppedLogs: number;
  droppedCalls: number;
  callRecords: CallRecord[];
  /** The returned value, cut, when the run completed. */
  value?: string;
  error?: { kind: ErrorKind; name: string; message: string; line?: number; column?: number; hint?: string };
  /** The files the run returned (`result.files`), without their bytes; at most BOOK_CAPS.files. */
  files?: { path: string; size: number; contentType: string }[];
}

/** Something that changed, for the page's event stream. */
export type BookEvent =
  | { type: 'run'; run: RunSummary }
  | { type: 'log'; runId: string; entry: { level: LogLevel; text: string } }
  | { type: 'call'; runId: string; calls: number; call: CallRecord }
  | { type: 'end'; run: RunDetail };

interface Tracked {
  readonly session: string | undefined;
}

export class RunBook {
  private readonly runs = new Map<string, RunDetail>();
  private readonly calls = new Map<string, CallRecord>();
  private readonly context = new AsyncLocalStorage<Tracked>();
  private readonly listeners = new Set<(event: BookEvent) => void>();
  private readonly handlers: [string, (message: unknown) => void][];

  constructor(private readonly maxRuns: number) {
    this.handlers = [
      [runStart.name as string, (message) => this.started(message as RunObservation)],
      [runEnd.name as string, (message) => this.ended(message as RunObservation)],
      [callStart.name as string, (message) => this.callStarted(message as CallObservation)],
      [callEnd.name as string, (message) => this.callEnded(message as CallObservation)],
      [log.name as string, (message) => this.logged(message as LogObservation)],
    ];
    for (const [name, handler] of this.handlers) subscribe(name, handler);
  }

  /** Runs `work`; runs it starts are kept in this book, under `session`. */
  track<T>(session: string | undefined, work: () => T): T {
    return this.context.run({ session }, work);
  }

  /** Newest first. */
  list(): RunSummary[] {
    return [...this.runs.values()].reverse().map(summary);
  }

  get(runId: string): RunDetail | undefined {
    return this.runs.get(runId);
  }

  /** The code's lines that name the tool (its last name part), to show around an approval: at most 3. */
  linesNaming(runId: string, toolName: string): { line: number; text: string }[] {
    const run = this.runs.get(runId);
    if (!run) return [];
    const word = toolName.slice(toolName.lastIndexOf('.') + 1);
    const found: { line: number; text: string }[] = [];
    const lines = run.code.split('\n');
    for (let i = 0; i < lines.length && found.length < 3; i++) {
      if (lines[i]!.includes(word)) found.push({ line: i + 1, text: lines[i]!.slice(0, 200) });
    }
    return found;
  }

  onEvent(listener: (event: BookEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const [name, handler] of this.handlers) unsubscribe(name, handler);
    this.listeners.clear();
  }

  private emit(event: BookEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private started(observation: RunObservation): void {
    const tracked = this.context.getStore();
    if (!tracked) return;
    const run: RunDetail = {
      runId: observation.runId,
      ...(tracked.session ? { session: tracked.session } : {}),
      startedAt: Date.now(),
      status: 'running',
      calls: 0,
      code: observation.code.length > BOOK_CAPS.codeChars ? `${observation.code.slice(0, BOOK_CAPS.codeChars)}…` : observation.code,
      logs: [],
      droppedLogs: 0,
      droppedCalls: 0,
      callRecords: [],
    };
    this.runs.set(run.runId, run);
    while (this.runs.size > this.maxRuns) this.forget(this.runs.keys().next().value!);
    this.emit({ type: 'run', run: summary(run) });
  }

  private ended(observation: RunObservation): void {
    const run = this.runs.get(observation.runId);
    const result = observation.result;
    if (!run || !result) return;
    run.status = result.ok ? 'completed' : result.error.kind;
    run.durationMs = observation.durationMs ?? result.stats.durationMs;
    if (result.ok) run.value = preview(result.value, BOOK_CAPS.valueChars);
    else {
      const { kind, name, message, line, column, hint } = result.error;
      run.error = { kind, name, message: cut(message), ...(line ? { line } : {}), ...(column ? { column } : {}), ...(hint ? { hint: cut(hint) } : {}) };
    }
    if (result.files) run.files = result.files.slice(0, BOOK_CAPS.files).map(({ path, size, contentType }) => ({ path: cut(path), size, contentType: cut(contentType) }));
    for (const call of run.callRecords) this.calls.delete(`${run.runId}:${call.callId}`);
    this.emit({ type: 'end', run });
  }

  private callStarted(observation: CallObservation): void {
    const run = this.runs.get(observation.runId);
    if (!run) return;
    run.calls++;
    if (run.callRecords.length >= BOOK_CAPS.calls) {
      run.droppedCalls++;
      return;
    }
    const call: CallRecord = { callId: observation.callId, name: cut(observation.name), startedAt: Date.now() };
    run.callRecords.push(call);
    this.calls.set(`${run.runId}:${call.callId}`, call);
    this.emit({ type: 'call', runId: run.runId, calls: run.calls, call });
  }

  private callEnded(observation: CallObservation): void {
    const call = this.calls.get(`${observation.runId}:${observation.callId}`);
    if (!call) return;
    this.calls.delete(`${observation.runId}:${observation.callId}`);
    if ('input' in observation) call.input = preview(observation.input, BOOK_CAPS.valueChars);
    if (observation.approval) call.approval = observation.approval;
    if (observation.outcome) call.outcome = observation.outcome;
    if (observation.outcome === 'ok') call.value = preview(observation.value, BOOK_CAPS.valueChars);
    if (observation.error) call.error = { ...observation.error, message: cut(observation.error.message) };
    if (observation.durationMs !== undefined) call.durationMs = observation.durationMs;
    this.emit({ type: 'call', runId: observation.runId, calls: this.runs.get(observation.runId)?.calls ?? 0, call });
  }

  private logged(observation: LogObservation): void {
    const run = this.runs.get(observation.runId);
    if (!run) return;
    if (run.logs.length >= BOOK_CAPS.logEntries) {
      run.droppedLogs++;
      return;
    }
    const entry = { level: observation.level, text: cut(observation.text) };
    run.logs.push(entry);
    this.emit({ type: 'log', runId: run.runId, entry });
  }

  private forget(runId: string): void {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    for (const call of run?.callRecords ?? []) this.calls.delete(`${runId}:${call.callId}`);
  }
}

function summary(run: RunDetail): RunSummary {
  const { runId, session, startedAt, status, durationMs, calls } = run;
  return { runId, ...(session ? { session } : {}), startedAt, status, ...(durationMs !== undefined ? { durationMs } : {}), calls };
}

function cut(text: string): string {
  return text.length > BOOK_CAPS.logChars ? `${text.slice(0, BOOK_CAPS.logChars)}…` : text;
}
