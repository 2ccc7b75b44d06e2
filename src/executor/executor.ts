// The Executor: runs model code in sandbox processes and answers its host calls from its live tool set.
// `run()` and `start()` share one path: a session moves the messages, and every host call goes through the
// run's call pipeline (src/pipeline), which in `run()` ends at the registered tool and in `start()` at the
// caller. It never throws because of what the model wrote; it throws only for misuse.
import { randomUUID } from 'node:crypto';
import { WORKFLOWS, type ErrorData } from '../bridge/protocol.js';
import { CodemodeError, describeValue } from '../errors.js';
import { describeFault, isStackOverflow, reportFault } from '../fault.js';
import { OBJECT, checked } from '../limits/rules.js';
import { prepare, type Prepared } from '../prepare/prepare.js';
import type { Interceptor } from '../pipeline/call.js';
import { HOST_FAULT_HINT, NESTING_HINT } from '../results/hints.js';
import type { RunResult } from '../results/types.js';
import { Session } from '../session/session.js';
import { ToolRegistry, type ToolSet } from '../tools/registry.js';
import type { Storage } from '../storage/storage.js';
import { WorkflowLibrary } from '../workflows/library.js';
import { mapWorkflowFrames, workflowNames } from '../workflows/positions.js';
import { searchableEntries } from '../workflows/tools.js';
import { DEFAULT_SEARCH_LIMIT, searchTools, type SearchHit, type SearchOptions } from '../tools/search.js';
import type { TypeDiagnostic } from '../types/check.js';
import {
  checkFunction,
  checkTenant,
  checkInterceptors,
  checkStorage,
  hasLimits,
  ownRuntimeOptions,
  resolveLimits,
  resolveJournalLimits,
  resolveMaxWorkspaces,
  type ExecutorOptions,
  type ResolvedLimits,
  type ResumeOptions,
  type RunOptions,
} from './options.js';
import { checkRunId, Journals, type Decisions } from '../journal/journals.js';
import type { JournalLimits, RunJournal } from '../journal/journal.js';
import type { SandboxPool } from '../runtime/pool.js';
import { isolateAffinity } from '../runtime/affinity.js';
import { SandboxRuntime, poolOf } from '../runtime/runtime.js';
import type { Workspace, WorkspaceHost, WorkspaceOptions, WorkspaceRun } from './workspace.js';
import { Workspaces } from './workspaces.js';
import { ModuleSet, type LoadedModule, type ModuleInfo } from '../modules/modules.js';
import { moduleHits } from '../modules/search.js';

/** Tells executors apart in a shared runtime's line: runs without a tenant are one tenant per executor. */
let executorCount = 0;

export class Executor {
  /**
   * The live tool set: `tools.add(toolOrCapability)`, `tools.replace(...)`, `tools.remove(name)`,
   * `tools.onChange(listener)`. Runs keep the set they started with; everything else follows each change.
   */
  readonly tools: ToolRegistry;
  /**
   * The workflows of the `storage` option (undefined without one): `save`, `list`, `get`, `delete` (saving
   * type-checks against the current API), `refresh()` (runs refresh first), `onChange(listener)`.
   */
  readonly workflows: WorkflowLibrary | undefined;
  /**
   * The journals of durable runs in `storage`: `list()`, `get(runId)` (its code, state and pending calls),
   * `delete(runId)`. Without a storage each call throws NO_STORAGE.
   */
  readonly journals: Journals;
  private readonly journalLimits: JournalLimits;
  private readonly options: ExecutorOptions;
  private readonly limits: ResolvedLimits;
  private readonly runtime: SandboxRuntime;
  /** True when this executor made its runtime, and so closes it. */
  private readonly ownsRuntime: boolean;
  private readonly interceptors: readonly Interceptor[];
  private readonly pool: SandboxPool;
  private readonly anonymousLane = `executor ${++executorCount}`;
  private readonly sessions = new Set<Session>();
  private readonly libraries = new Map<Storage, WorkflowLibrary>();
  private readonly workspaces: Workspaces;
  /** The `modules` option: found in the constructor, bundled and tried on first use. */
  private readonly moduleSet: ModuleSet | undefined;
  private closed = false;

  constructor(options: ExecutorOptions = {}) {
    checked('options', OBJECT, options, 'Executor');
    checkFunction('approve', options.approve);
    this.interceptors = checkInterceptors(options.interceptors) ?? [];
    this.options = options;
    this.limits = resolveLimits(options, undefined);
    this.tools = new ToolRegistry(options.tools, options.capabilities);
    const storage = checkStorage(options.storage);
    if (storage && this.tools.names().some((name) => name.split('.')[0] === WORKFLOWS.namespace)) {
      throw new CodemodeError('DUPLICATE_TOOL', `with a \`storage\`, \`${WORKFLOWS.namespace}\` is the namespace of its workflows; rename the tool or capability of that name`);
    }
    this.workflows = storage ? new WorkflowLibrary(storage, () => this.tools.current) : undefined;
    this.journals = new Journals(storage, this.limits);
    this.journalLimits = resolveJournalLimits(options);
    // A tool removed or changed may break workflows that call it; one added back may mend them.
    if (this.workflows) this.tools.onChange(() => this.workflows!.scheduleRecheck());
    if (this.workflows) this.libraries.set(this.workflows.storage, this.workflows);
    const own = ownRuntimeOptions(options, this.limits);
    this.ownsRuntime = own !== undefined;
    this.runtime = options.runtime ?? new SandboxRuntime(own);
    this.pool = poolOf(this.runtime);
    this.workspaces = new Workspaces(resolveMaxWorkspaces(options));
    this.moduleSet = options.modules === undefined ? undefined : new ModuleSet(options.modules, options.moduleRoot ?? process.cwd());
  }

  /** The live tool set under its former name. */
  get registry(): ToolRegistry {
    return this.tools;
  }

  /**
   * Runs `code` to the end, its host calls answered by the registered tools. Resolves with the result;
   * never rejects for model errors.
   */
  async run(code: string, options: RunOptions = {}): Promise<RunResult> {
    const session = await this.open(code, options, 'tools');
    return session.result;
  }

  /**
   * Goes on with a durable run from its journal, in this process or another with the same storage: the
   * recorded code replays without calling any tool, then runs live. A call that was running when its host
   * died runs again only if its tool is `idempotent`; otherwise it rejects in the code with a `host` error.
   * For a paused run, `decisions` answer its pending calls. Throws NOT_FOUND without a journal.
   */
  async resume(runId: string, options: ResumeOptions = {}): Promise<RunResult> {
    const { decisions, ...rest } = options;
    const session = await this.open(undefined, { ...rest, runId, durable: true }, 'tools', undefined, this.workflows, undefined, decisions);
    return session.result;
  }

  /**
   * Starts `code` and returns its session, to be driven step by step with `nextEvent()`: each host call
   * that passes the pipeline's checks and policy comes out as an event, for the caller to answer.
   */
  start(code: string, options: RunOptions = {}): Promise<Session> {
    return this.open(code, options, 'caller');
  }

  /**
   * Opens a workspace: runs whose top-level variables persist into its next runs, in one live isolate of a
   * sandbox process of its own. `run()` and `start()` stay stateless. Throws WORKSPACE_LIMIT past
   * `maxWorkspaces` live workspaces.
   */
  async workspace(options: WorkspaceOptions = {}): Promise<Workspace> {
    if (this.closed) throw new CodemodeError('EXECUTOR_CLOSED', 'the executor is closed');
    // A workspace with a storage of its own has the workflows of that storage; else the executor's.
    const own = checkStorage(options?.storage);
    const library = own && own !== this.workflows?.storage ? this.libraryOf(own) : this.workflows;
    const host: WorkspaceHost = {
      open: (code, runOptions, answers, run) => this.open(code, runOptions, answers, run, library),
      check: (code, persisted) => this.checkCode(code, persisted, library),
      declarations: () => this.currentTools(library).declarations(),
      search: (query, searchOptions) => searchTools(searchableEntries(this.currentTools(library).catalog().entries, query), query, searchOptions),
      memoryLimitMb: this.limits.memoryLimitMb,
      runtimeClosed: () => this.pool.isClosed,
      storage: library?.storage,
    };
    return this.workspaces.open(host, options);
  }

  private async open(
    source: string | undefined,
    options: RunOptions,
    answers: 'tools' | 'caller',
    workspace?: WorkspaceRun,
    library: WorkflowLibrary | undefined = this.workflows,
    /** A module being tried (see src/modules/modules.ts): the run may import it before the modules are ready. */
    probing?: LoadedModule,
    decisions?: Decisions,
  ): Promise<Session> {
    if (this.closed) throw new CodemodeError('EXECUTOR_CLOSED', 'the executor is closed');
    if (this.pool.isClosed) throw new CodemodeError('RUNTIME_CLOSED', 'the sandbox runtime of this executor is closed');
    if (source !== undefined) checkCode(source);
    const givenId = checkRunId(options.runId);
    if (options.durable !== undefined && typeof options.durable !== 'boolean') throw new CodemodeError('INVALID_OPTION', `expected \`durable\` to be a boolean, got ${describeValue(options.durable)}`);
    if (options.durable && workspace) throw new CodemodeError('INVALID_OPTION', 'durable runs are not available in workspaces: a workspace keeps its variables in its process, where a journal cannot replay them');
    // The caller of start() answers calls, approvals too, outside the journal: a crash would run an approved call again.
    if (options.durable && answers === 'caller') throw new CodemodeError('INVALID_OPTION', 'durable runs are not available with start(): the caller answers its calls outside the journal; use run() (or resume())');
    if (options.durable && givenId === undefined) throw new CodemodeError('INVALID_OPTION', 'a durable run needs a `runId`: it names the journal that resume() and later runs replay');
    checkTenant(options.tenant);
    checkFunction('approve', options.approve);
    checkFunction('onLog', options.onLog);
    checkFunction('onNotice', options.onNotice);
    const runInterceptors = checkInterceptors(options.interceptors);
    const tools = await this.toolSet(library);
    const modules = probing ? [probing] : await this.loadModules();
    const runId = givenId ?? randomUUID();
    let code = source ?? '';
    let journal: RunJournal | undefined;
    if (options.durable) {
      const opened = await this.journals.open(runId, source, this.journalLimits, (name) => tools.get(name)?.approval === 'ask', decisions);
      journal = opened.journal;
      code = opened.code;
    }
    const limits = hasLimits(options) ? resolveLimits(this.limits, options) : this.limits;
    const typecheck = options.typecheck ?? this.options.typecheck;
    let prepared: Prepared = UNREAD;
    let fault: ErrorData | undefined;
    try {
      // The names only matter to the type checker: an unchecked run does not send them to the worker.
      const persisted = workspace && { persisted: typecheck ? workspace.persisted() : [] };
      prepared = await prepare(code, {
        timeoutMs: limits.timeoutMs,
        declarations: typecheck ? this.checkDeclarations(tools) : undefined,
        signal: options.signal,
        workspace: persisted,
        modules: this.moduleSet?.names,
      });
      // Names of code that will not run (a type error) never reach the context: they are not kept.
      if (prepared.declared && !prepared.runnable.problem) workspace?.declared(prepared.declared);
    } catch (error) {
      // Never a rejection for what the model sent: the run fails as data, and the operator hears of it.
      reportFault(`reading the code of run ${runId}`, error);
      fault = unreadable(error);
    }
    const session = new Session({
      runId,
      code,
      normalized: prepared.runnable,
      spentMs: prepared.spentMs,
      fault,
      tools,
      pool: workspace?.pool ?? this.pool,
      lane: workspace?.lane ?? (options.tenant === undefined ? this.anonymousLane : `tenant ${options.tenant}`),
      affinity: isolateAffinity(this.anonymousLane, options.tenant),
      workspace: workspace?.hooks,
      limits,
      approve: options.approve ?? this.options.approve,
      interceptors: runInterceptors ? [...this.interceptors, ...runInterceptors] : this.interceptors,
      answers,
      onLog: options.onLog,
      onNotice: options.onNotice,
      signal: options.signal,
      mapFrames: library && ((text: string) => mapWorkflowFrames(text, tools)),
      workflows: library && workflowNames(tools),
      storage: library?.storage,
      modules: modules.filter((module) => prepared.runnable.imports?.includes(module.name)),
      journal,
    });
    this.sessions.add(session);
    // close() came while the code was being prepared: it cancelled the runs it saw, and this one too.
    if (this.closed) session.cancel('the executor was closed');
    void session.result.then(() => this.sessions.delete(session));
    void session.begin();
    return session;
  }

  /** The modules, bundled and tried the first time (MODULE_REFUSED if one cannot load); none without `modules`. */
  private async loadModules(): Promise<readonly LoadedModule[]> {
    return this.moduleSet ? this.moduleSet.ready(this.probeModule, this.limits.timeoutMs) : [];
  }

  /** Tries a module in a real run (see src/modules/modules.ts). */
  private readonly probeModule = (code: string, module: LoadedModule, timeoutMs: number) =>
    this.open(code, { timeoutMs, typecheck: false }, 'tools', undefined, undefined, module).then((session) => session.result);

  /** What the type checker reads: the declarations, and where each module's own declarations are. */
  private checkDeclarations(tools: ToolSet): string {
    return this.moduleSet ? `${tools.declarations()}\n${this.moduleSet.typeLines()}` : tools.declarations();
  }

  /** The TypeScript declarations of everything model code can call: `declare const codemode: { ... }`. */
  declarations(): string {
    return this.currentTools().declarations();
  }

  /** One library per store, for workspaces with a storage of their own: re-checked when the tools change too. */
  private libraryOf(storage: Storage): WorkflowLibrary {
    let library = this.libraries.get(storage);
    if (!library) {
      const made = (library = new WorkflowLibrary(storage, () => this.tools.current));
      this.libraries.set(storage, made);
      this.tools.onChange(() => made.scheduleRecheck());
    }
    return library;
  }

  /** The tools and, with a storage, the workflows as last read. */
  private currentTools(library = this.workflows): ToolSet {
    return library ? library.current() : this.tools.current;
  }

  /** The set a run starts with: the workflows read again from the store (another host may have saved one). */
  private async toolSet(library = this.workflows): Promise<ToolSet> {
    if (!library) return this.tools.current;
    try {
      await library.refresh();
    } catch (error) {
      // The store is unreachable: the run goes on with the workflows as last read; the operator hears of it.
      reportFault(`reading the workflows of ${library.storage.location}`, error);
    }
    return library.current();
  }

  /**
   * Type errors of `code` against the declarations, in the lines as sent (a syntax error comes back as one
   * diagnostic with code 1005). Noise codes for scripts are left out: see IGNORED_DIAGNOSTICS.
   */
  check(code: string): Promise<TypeDiagnostic[]> {
    return this.checkCode(code);
  }

  /** `persisted`: check as a workspace run, after earlier runs left these names. */
  private async checkCode(code: string, persisted?: string[], library = this.workflows): Promise<TypeDiagnostic[]> {
    checkCode(code);
    const workspace = persisted && { persisted };
    const { runnable, diagnostics } = await prepare(code, { timeoutMs: this.limits.timeoutMs, declarations: this.checkDeclarations(await this.toolSet(library)), workspace, modules: this.moduleSet?.names });
    if (diagnostics) return diagnostics;
    const { message, position } = runnable.problem!;
    return [{ code: 1005, message, line: position?.line ?? 1, column: position?.column ?? 1 }];
  }

  /**
   * Ranked tools for a query (name, description, field names), each with its own declaration; with
   * `modules`, once they are loaded, the modules whose name or exports match too.
   */
  search(query: string, options?: SearchOptions): SearchHit[] {
    const tools = searchTools(searchableEntries(this.currentTools().catalog().entries, query), query, options);
    const loaded = this.moduleSet?.current;
    if (!loaded) return tools;
    return [...tools, ...moduleHits(loaded, query)].sort((a, b) => b.score - a.score).slice(0, options?.limit ?? DEFAULT_SEARCH_LIMIT);
  }

  /** The `modules` option as loaded: name, version and (once tried, see `warmup()`) export names. */
  modules(): ModuleInfo[] {
    return this.moduleSet?.info() ?? [];
  }

  /**
   * Starts the minimum number of sandbox processes now, so the first run does not wait for one; with a
   * storage, reads its workflows too, so `declarations()` has them; with `modules`, bundles and tries them
   * (rejecting with MODULE_REFUSED for one that cannot load) and reads their exports' signatures for `search()`.
   */
  async warmup(): Promise<void> {
    if (this.closed) throw new CodemodeError('EXECUTOR_CLOSED', 'the executor is closed');
    await Promise.all([this.runtime.warmup(), this.toolSet(), this.moduleSet?.described(this.probeModule, this.limits.timeoutMs)]);
  }

  /**
   * Cancels every run of this executor and, if it made its runtime itself, ends the sandbox processes. A
   * shared `runtime` stays open (close it with `runtime.close()`). Later calls to run() or start() throw.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const library of this.libraries.values()) library.close();
    for (const session of this.sessions) session.cancel('the executor was closed');
    await this.workspaces.closeAll('its executor was closed');
    if (this.ownsRuntime) await this.runtime.close();
  }

  /** Process ids of the live sandbox processes of its runtime (diagnostics and tests). */
  sandboxPids(): number[] {
    return this.runtime.sandboxPids();
  }
}

/** Stands in for the code when it could not be read; the run ends with its fault before anything runs. */
const UNREAD: Prepared = {
  runnable: { source: '', language: 'javascript', toOriginal: () => undefined, mapping: { edits: { start: 0, end: 0, edits: [] } } },
  spentMs: 0,
};

/**
 * Why the host could not read the code (preparing it threw): too deeply nested syntax is a syntax error the
 * model can fix; anything else is the host's own fault, reported as `crashed`.
 */
function unreadable(error: unknown): ErrorData {
  if (isStackOverflow(error)) return { kind: 'syntax', name: 'SyntaxError', message: 'the code is nested too deeply to read', hint: NESTING_HINT };
  return { kind: 'crashed', name: 'Error', message: `the host failed while reading the code (${describeFault(error).slice(0, 300)})`, hint: HOST_FAULT_HINT };
}

function checkCode(code: unknown): asserts code is string {
  if (typeof code !== 'string') throw new CodemodeError('INVALID_OPTION', `expected \`code\` to be a string, got ${describeValue(code)}`);
}
