// The workflows of one storage, as an executor offers them: records read from the store, each compiled once
// per version (in a preparation worker), and one `workflows` capability (the four management tools and one
// tool per workflow) added to the executor's tool set for runs, declarations, search and check. Saving
// type-checks against the current API first and refuses code that does not compile. Records written by
// other hosts (a shared RedisStorage) are picked up by `refresh()`, which the executor calls before each run.
import { CodemodeError } from '../errors.js';
import { reportFault } from '../fault.js';
import type { Storage } from '../storage/storage.js';
import { Workflows, checkWorkflowName, type WorkflowRecord } from '../storage/workflows.js';
import type { Capability } from '../tools/define.js';
import { withCapability, type ToolSet } from '../tools/registry.js';
import type { TypeDiagnostic } from '../types/check.js';
import { buildWorkflow, formatDiagnostics } from './build.js';
import type { CompiledWorkflow } from '../prepare/workflow-compile.js';
import { workflowsCapability } from './tools.js';

/** A workflow as listed: what it is and whether it still type-checks. */
export interface WorkflowInfo {
  readonly name: string;
  readonly description: string;
  readonly version: number;
  readonly updatedAt: string;
  /** Set when the code no longer type-checks against the current tools: the diagnostic. */
  readonly stale?: string;
}

export interface SaveWorkflowInput {
  readonly name: string;
  readonly description: string;
  readonly code: string;
  /** Save only if the stored workflow is still at this version (`null`: only if there is none). */
  readonly ifVersion?: number | null;
}

/** Thrown by `save` when the code does not compile: `diagnostics` point into the workflow's code. */
export class WorkflowInvalidError extends CodemodeError {
  constructor(
    message: string,
    readonly diagnostics: readonly TypeDiagnostic[],
  ) {
    super('WORKFLOW_INVALID', message);
  }
}

/** A loaded workflow: its record and, unless its code cannot run at all, its compiled form. */
export interface LoadedWorkflow {
  readonly record: WorkflowRecord;
  readonly compiled: CompiledWorkflow | undefined;
}

/** Tool changes often come in bursts (an upstream server reconnecting): the stale check waits this long for quiet. */
export const RECHECK_DEBOUNCE_MS = 250;

export class WorkflowLibrary {
  readonly records: Workflows;
  private readonly loaded = new Map<string, LoadedWorkflow>();
  private readonly listeners = new Set<() => void>();
  private capability: Capability;
  private refreshing: Promise<void> | undefined;
  private nextRefresh: Promise<void> | undefined;
  private rechecking: Promise<void> | undefined;
  private recheckAgain = false;
  private recheckTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The store's revision of the workflows when they were last listed and read. */
  private listedRevision: number | undefined;
  /** The last set `current()` made, kept while neither the executor's tools nor the workflows change. */
  private made: { base: ToolSet; capability: Capability; set: ToolSet } | undefined;

  /** `base`: the executor's tool set now (workflows type-check against it). */
  constructor(
    readonly storage: Storage,
    private readonly base: () => ToolSet,
  ) {
    this.records = new Workflows(storage);
    this.capability = workflowsCapability(this, []);
  }

  /** `set` with this library's workflows. A set that already has a `workflows` namespace keeps its own. */
  toolsFor(set: ToolSet): ToolSet {
    try {
      return withCapability(set, this.capability);
    } catch (error) {
      if (error instanceof CodemodeError && error.code === 'DUPLICATE_TOOL') return set;
      throw error;
    }
  }

  /** The executor's tools with the workflows as they are now. */
  current(): ToolSet {
    // Every run asks; a new set each time would print its declarations and catalog again.
    const base = this.base();
    const made = this.made;
    if (made && made.base === base && made.capability === this.capability) return made.set;
    const set = this.toolsFor(base);
    this.made = { base, capability: this.capability, set };
    return set;
  }

  /** Calls `listener` after the set of workflows (or one of them) changed. Returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Reads the store again and compiles what changed there (saved by another host, or by the CLI). */
  refresh(): Promise<void> {
    // A read already under way may have listed the store before the change the caller wants to see: one
    // more read follows it, shared by everyone who asks meanwhile.
    if (this.refreshing) {
      this.nextRefresh ??= this.refreshing.catch(() => {}).then(() => {
        this.nextRefresh = undefined;
        return this.refresh();
      });
      return this.nextRefresh;
    }
    this.refreshing = this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Type-checks every workflow against the current tools again, one at a time in a preparation worker: one
   * that no longer compiles is saved as stale with its diagnostics (in listings, search and its
   * declaration), one that compiles again is saved without. A workflow saved by someone in between is left
   * to them (the save passes the version read). Resolves when done; a call during a check runs one more.
   */
  recheck(): Promise<void> {
    if (this.rechecking) {
      this.recheckAgain = true;
      return this.rechecking;
    }
    this.rechecking = (async () => {
      do {
        this.recheckAgain = false;
        for (const { record } of this.entries()) {
          if (this.closed) return;
          await this.recheckOne(record);
        }
      } while (this.recheckAgain && !this.closed);
    })().finally(() => (this.rechecking = undefined));
    return this.rechecking;
  }

  /** A recheck after things settle: what the executor does on each change of its tool set. */
  scheduleRecheck(): void {
    if (this.closed) return;
    clearTimeout(this.recheckTimer);
    this.recheckTimer = setTimeout(() => {
      this.recheck().catch((error: unknown) => reportFault(`re-checking the workflows of ${this.storage.location}`, error));
    }, RECHECK_DEBOUNCE_MS);
  }

  /** Stops scheduled and running rechecks (the executor closed). The storage stays open: it is the caller's. */
  close(): void {
    this.closed = true;
    clearTimeout(this.recheckTimer);
  }

  private async recheckOne(record: WorkflowRecord): Promise<void> {
    const built = await buildWorkflow(record.code, this.current().declarations());
    const stale = !built.ok ? built.message : built.compiled.diagnostics.length > 0 ? formatDiagnostics(built.compiled.diagnostics) : undefined;
    // Only what the check found: a worker that could not answer (an overrun under load) marks nothing,
    // stale or not, and writes nothing to the store that other hosts would read.
    if (!built.ok) return;
    const compiled = built.compiled.broken ? undefined : built.compiled;
    // Not compiled when it was read (its worker could not answer then): callable again from now on.
    if (compiled && !this.loaded.get(record.name)?.compiled && stale === record.stale) this.put(record, compiled);
    if (stale === record.stale) return;
    try {
      const saved = await this.records.save({ name: record.name, description: record.description, code: record.code, ...(stale !== undefined ? { stale } : {}), ifVersion: record.version });
      this.put(saved, compiled);
    } catch (error) {
      // Saved or deleted by someone else since it was read: their version is the one to check next time.
      if (!(error instanceof CodemodeError && error.code === 'VERSION_CONFLICT')) throw error;
    }
  }

  /** The workflows, by name (read from the store now). */
  async list(): Promise<WorkflowInfo[]> {
    await this.refresh();
    return [...this.loaded.values()].map(({ record }) => info(record)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** A workflow with its code, or undefined. */
  async get({ name }: { readonly name: string }): Promise<WorkflowRecord | undefined> {
    checkWorkflowName(name);
    return this.records.get({ name });
  }

  /**
   * Type-checks `code` against the current tools and workflows, then saves it. Throws
   * `WorkflowInvalidError` (`WORKFLOW_INVALID`, with `diagnostics`) when it does not compile, and the
   * store's errors (`VERSION_CONFLICT` with `ifVersion`, `INVALID_NAME`, `TOO_LARGE`).
   */
  async save(input: SaveWorkflowInput): Promise<WorkflowInfo> {
    const { name, description, code, ifVersion } = input ?? ({} as SaveWorkflowInput);
    checkWorkflowName(name);
    if (typeof code !== 'string') throw new CodemodeError('INVALID_DATA', 'expected workflow `code` to be a string');
    const built = await buildWorkflow(code, this.current().declarations());
    if (!built.ok) throw new WorkflowInvalidError(`workflow "${name}" was not saved: ${built.message}`, []);
    const { compiled } = built;
    if (compiled.diagnostics.length > 0) {
      throw new WorkflowInvalidError(`workflow "${name}" does not compile, so it was not saved:\n${formatDiagnostics(compiled.diagnostics)}`, compiled.diagnostics);
    }
    const record = await this.records.save({ name, description, code, ...(ifVersion !== undefined ? { ifVersion } : {}) });
    this.put(record, compiled);
    return info(record);
  }

  /** Deletes a workflow; false when there was none. */
  async delete({ name, ifVersion }: { readonly name: string; readonly ifVersion?: number }): Promise<boolean> {
    const deleted = await this.records.delete({ name, ...(ifVersion !== undefined ? { ifVersion } : {}) });
    if (this.loaded.delete(name)) {
      this.rebuild();
      // Workflows that called it no longer compile.
      this.scheduleRecheck();
    }
    return deleted;
  }

  /** Every full name model code can call under `codemode.workflows` now (management tools included). */
  names(): string[] {
    return this.capability.tools.map((tool) => `${this.capability.name}.${tool.name}`);
  }

  /** The callable workflows as one line each (for the MCP `execute` description), by name. */
  summaries(): { name: string; description: string; stale: boolean }[] {
    return this.entries()
      .filter((entry) => entry.compiled !== undefined)
      .map(({ record }) => ({ name: record.name, description: record.description, stale: record.stale !== undefined }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The loaded workflows (compiled), for the capability and the stale check. */
  entries(): LoadedWorkflow[] {
    return [...this.loaded.values()];
  }

  /** @internal Keeps a record and its compiled form, and offers it from now on. */
  put(record: WorkflowRecord, compiled: CompiledWorkflow | undefined): void {
    const known = this.loaded.get(record.name);
    // A slower refresh must not put back an older version over a newer one.
    if (known && known.record.version > record.version) return;
    this.loaded.set(record.name, { record, compiled });
    this.rebuild();
  }

  private async load(): Promise<void> {
    // Every run asks: one small read says whether anything was saved or deleted since the last listing.
    const revision = await this.storage.revision('workflows');
    if (revision === this.listedRevision) return;
    const infos = await this.storage.list('workflows');
    let complete = true;
    const names = new Set(infos.map((entry) => entry.name));
    let changed = false;
    for (const name of this.loaded.keys()) {
      if (!names.has(name)) {
        this.loaded.delete(name);
        changed = true;
      }
    }
    if (changed) this.rebuild();
    for (const entry of infos) {
      if (this.loaded.get(entry.name)?.record.version === entry.version) continue;
      let record: WorkflowRecord | undefined;
      try {
        record = await this.records.get({ name: entry.name });
      } catch (error) {
        // A name another codemode would not write, or a corrupt record: not a workflow this host can offer,
        // until it is saved again (which moves the revision). A store that failed is asked again next run.
        if (!(error instanceof CodemodeError) || error.code === 'STORAGE_UNAVAILABLE' || error.code === 'STORAGE_CLOSED') complete = false;
        continue;
      }
      if (!record) continue;
      const built = await buildWorkflow(record.code, this.current().declarations());
      this.put(record, built.ok && !built.compiled.broken ? built.compiled : undefined);
    }
    if (complete) this.listedRevision = revision;
  }

  private rebuild(): void {
    this.capability = workflowsCapability(this, this.entries());
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A throwing listener must not keep the others from hearing of the change.
      }
    }
  }
}

function info(record: WorkflowRecord): WorkflowInfo {
  const { name, description, version, updatedAt, stale } = record;
  return { name, description, version, updatedAt, ...(stale !== undefined ? { stale } : {}) };
}
