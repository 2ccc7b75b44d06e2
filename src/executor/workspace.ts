// A workspace: runs whose top-level variables persist into the next run, as in a REPL. It keeps one live
// isolate (and context) in a sandbox process of its own (./lease.ts), runs its runs one at a time in the
// order they were started, and is dropped after `idleMs` without a run. Normalization rewrites each run's
// top-level declarations into globals of that context (src/normalize/workspace.ts).
//
// What is lost is said, never silent: a run that times out, runs out of memory or loses its process loses
// the variables, and its error says so; after a process that died between runs, the next run says so (in its
// error, or in its logs when it completes); a closed or dropped workspace refuses runs with a CodemodeError. It throws only for misuse, like the
// executor; what model code does comes back as data.
import { randomUUID } from 'node:crypto';
import { CodemodeError } from '../errors.js';
import type { RunOptions } from './options.js';
import type { RunResult } from '../results/types.js';
import type { Session, ProcessSource, WorkspaceHooks } from '../session/session.js';
import type { Storage } from '../storage/storage.js';
import type { SearchHit, SearchOptions } from '../tools/search.js';
import type { TypeDiagnostic } from '../types/check.js';
import { PinnedProcess } from './workspace-process.js';

/** What the model reads when a run lost the workspace's variables. */
export const WORKSPACE_LOST_NOTE =
  'The workspace was reset: its variables are gone and the next run starts from an empty workspace (artifacts and workflows in storage are kept).';

export interface WorkspaceOptions {
  /** Names the workspace in messages (e.g. an MCP session id); unique among the executor's live workspaces. Default: a random UUID. */
  id?: string;
  /**
   * Where the workspace's workflows live (`codemode.workflows.*` in its runs, its declarations, search and
   * check). Default: the executor's `storage`.
   */
  storage?: Storage;
  /** Dropped (its process ended) after this long without a run, in ms. Default 600 000 (10 minutes). */
  idleMs?: number;
}

/** Why a workspace ended: `close()` (its own or its executor's), or `idleMs` without a run. */
export type WorkspaceEnd = 'closed' | 'expired';

/** What a workspace run adds to an executor's run (the executor's hook, see Executor.workspace). */
export interface WorkspaceRun {
  /** The run's place in the workspace's line. */
  lane: string;
  pool: ProcessSource;
  /** Names earlier runs left (declared as `any` for the type checker; asked for only when the run is checked). */
  persisted(): string[];
  hooks: WorkspaceHooks;
  /** The names the run's code declares, once its code is prepared. */
  declared(names: string[]): void;
}

/** The executor, as a workspace sees it. */
export interface WorkspaceHost {
  open(code: string, options: RunOptions, answers: 'tools' | 'caller', run: WorkspaceRun): Promise<Session>;
  check(code: string, persisted: string[]): Promise<TypeDiagnostic[]>;
  declarations(): string;
  search(query: string, options?: SearchOptions): SearchHit[];
  memoryLimitMb: number;
  runtimeClosed(): boolean;
  storage: Storage | undefined;
}

export interface ResolvedWorkspaceOptions {
  id: string;
  idleMs: number;
}

export class Workspace {
  readonly id: string;
  /** Where its workflows live: its own `storage`, else the executor's. */
  readonly storage: Storage | undefined;
  /** Resolves when the workspace ends, with why: `closed` or `expired` (idle for `idleMs`). */
  readonly ended: Promise<WorkspaceEnd>;

  private readonly host: WorkspaceHost;
  private readonly idleMs: number;
  private readonly lease: PinnedProcess;
  /** Top-level names its runs declared since the context was last lost. */
  private readonly names = new Set<string>();
  private readonly sessions = new Set<Session>();
  private state: 'open' | WorkspaceEnd = 'open';
  private closeReason = 'it was closed';
  /** The run (key) during which the context was lost. */
  private lostIn: string | undefined;
  private turns = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private resolveEnded!: (end: WorkspaceEnd) => void;

  /** @internal Workspaces come from `executor.workspace()`. */
  constructor(host: WorkspaceHost, options: ResolvedWorkspaceOptions, private readonly onEnd: (workspace: Workspace) => void) {
    this.host = host;
    this.id = options.id;
    this.storage = host.storage;
    this.idleMs = options.idleMs;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.lease = new PinnedProcess({
      memoryLimitMb: host.memoryLimitMb,
      runtimeClosed: () => host.runtimeClosed(),
      onLost: (during) => {
        this.names.clear();
        if (during !== undefined) this.lostIn = during;
      },
      onIdle: () => this.armIdleTimer(),
    });
    this.armIdleTimer();
  }

  /** Runs `code` in the workspace, after the runs started before it. Resolves with the result; never rejects for model errors. */
  async run(code: string, options: RunOptions = {}): Promise<RunResult> {
    const session = await this.open(code, options, 'tools');
    return session.result;
  }

  /** Starts `code` in the workspace and returns its session, to be driven step by step (as `executor.start`). */
  start(code: string, options: RunOptions = {}): Promise<Session> {
    return this.open(code, options, 'caller');
  }

  /** Empties the workspace (after the runs started before), on a fresh process. */
  async reset(): Promise<void> {
    const key = this.enter('reset');
    try {
      await this.lease.turn(key);
      this.lease.renew();
      this.names.clear();
    } finally {
      this.lease.done(key);
    }
  }

  /** Cancels its runs and ends its process; later calls throw WORKSPACE_CLOSED. Safe to call twice. */
  async close(): Promise<void> {
    await this.end('closed', 'it was closed');
  }

  /** The declarations of everything its code can call: the executor's tools and its storage's workflows. */
  declarations(): string {
    return this.host.declarations();
  }

  /** Ranked tools and workflows for a query, as the executor's search. */
  search(query: string, options?: SearchOptions): SearchHit[] {
    return this.host.search(query, options);
  }

  /** Type errors of `code` as a run of this workspace: the variables earlier runs left are declared as `any`. */
  check(code: string): Promise<TypeDiagnostic[]> {
    this.checkOpen();
    return this.host.check(code, [...this.names]);
  }

  /** Process id of its sandbox process while it has one (diagnostics and tests). */
  get pid(): number | undefined {
    return this.lease.pid;
  }

  /** @internal Ends the workspace because its executor closed. */
  closeWith(reason: string): Promise<void> {
    return this.end('closed', reason);
  }

  private async open(code: string, options: RunOptions, answers: 'tools' | 'caller'): Promise<Session> {
    this.checkOpen();
    if (options.memoryLimitMb !== undefined && options.memoryLimitMb !== this.host.memoryLimitMb) {
      throw new CodemodeError(
        'INVALID_OPTION',
        `a workspace's memory limit is its executor's (${this.host.memoryLimitMb} MB), fixed for its isolate; got \`memoryLimitMb\` ${options.memoryLimitMb} for one run`,
      );
    }
    const key = this.enter('run');
    const run: WorkspaceRun = {
      lane: key,
      pool: this.lease,
      persisted: () => [...this.names],
      hooks: { ended: (kept) => this.runEnded(key, kept) },
      declared: (names) => {
        for (const name of names) this.names.add(name);
      },
    };
    let session: Session;
    try {
      session = await this.host.open(code, options, answers, run);
    } catch (error) {
      this.lease.done(key);
      throw error;
    }
    this.sessions.add(session);
    void session.result.then(() => this.sessions.delete(session));
    return session;
  }

  /** Takes a place in line for a run or a reset; throws if the workspace is closed or dropped. */
  private enter(what: string): string {
    this.checkOpen();
    clearTimeout(this.idleTimer);
    const key = `workspace ${this.id} ${what} ${++this.turns}`;
    this.lease.enqueue(key);
    return key;
  }

  private runEnded(key: string, kept: boolean): string | undefined {
    const lost = !kept || this.lostIn === key;
    if (this.lostIn === key) this.lostIn = undefined;
    if (lost) this.names.clear();
    this.lease.done(key);
    return lost ? WORKSPACE_LOST_NOTE : undefined;
  }

  private checkOpen(): void {
    if (this.state === 'closed') throw new CodemodeError('WORKSPACE_CLOSED', `workspace ${JSON.stringify(this.id)} is closed: ${this.closeReason}`);
    if (this.state === 'expired') {
      throw new CodemodeError(
        'WORKSPACE_EXPIRED',
        `workspace ${JSON.stringify(this.id)} was dropped after ${this.idleMs} ms without a run, and its variables with it; open a new one with executor.workspace()`,
      );
    }
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    if (this.state !== 'open' || this.lease.busy) return;
    this.idleTimer = setTimeout(() => {
      if (!this.lease.busy) void this.end('expired', 'it was idle too long');
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private async end(end: WorkspaceEnd, reason: string): Promise<void> {
    if (this.state !== 'open') return this.lease.close(this.closedError());
    this.state = end;
    this.closeReason = reason;
    clearTimeout(this.idleTimer);
    this.onEnd(this);
    for (const session of this.sessions) session.cancel(`the workspace was closed (${reason})`);
    await this.lease.close(this.closedError());
    this.resolveEnded(end);
  }

  private closedError(): CodemodeError {
    try {
      this.checkOpen();
    } catch (error) {
      return error as CodemodeError;
    }
    return new CodemodeError('WORKSPACE_CLOSED', `workspace ${JSON.stringify(this.id)} is closed`);
  }
}
