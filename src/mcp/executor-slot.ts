// One Executor per version of the server's tool set. A live Executor's tools cannot change, so adding a
// tool builds the next Executor at once (a bad or duplicate tool throws to the caller of `tool()`, not
// inside a model's run) and retires the current one: runs already started finish on the executor they
// started on, and a retired executor is closed when its last run ends. Every version runs on one
// SandboxRuntime, so a new tool set spawns no process and kills none.
import { Executor, SandboxRuntime, type Capability, type ExecutorOptions, type RunOptions, type RunResult, type ToolDefinition } from '../index.js';

interface Version {
  executor: Executor;
  runs: number;
  retired: boolean;
}

export class ExecutorSlot {
  private tools: readonly ToolDefinition[];
  private readonly capabilities: readonly Capability[];
  private current: Version;
  private readonly retired = new Set<Version>();
  private closing: Promise<void> | undefined;
  private readonly options: Omit<ExecutorOptions, 'tools' | 'capabilities'>;
  private readonly runtime: SandboxRuntime;
  /** True when the slot made the runtime (and so closes it); false for one the server's caller shares. */
  private readonly ownsRuntime: boolean;

  constructor(options: Omit<ExecutorOptions, 'tools' | 'capabilities'>, tools: readonly ToolDefinition[], capabilities: readonly Capability[]) {
    const { minProcesses, maxProcesses, idleProcessMs, ...rest } = options;
    this.ownsRuntime = options.runtime === undefined;
    // A shared runtime comes with the options as given: the executor refuses process options beside it.
    this.runtime = options.runtime ?? new SandboxRuntime({ minProcesses, maxProcesses, idleProcessMs, ...(rest.memoryLimitMb === undefined ? {} : { memoryLimitMb: rest.memoryLimitMb }) });
    this.options = options.runtime ? options : { ...rest, runtime: this.runtime };
    this.tools = [...tools];
    this.capabilities = [...capabilities];
    this.current = this.build(this.tools);
  }

  /** The executor new runs go to (for declarations, search and limits). */
  get executor(): Executor {
    return this.current.executor;
  }

  /** Adds a tool: the next runs get a new executor; throws CodemodeError if the tool is bad or its name is taken. */
  add(tool: ToolDefinition): void {
    const tools = [...this.tools, tool];
    const next = this.build(tools);
    this.tools = tools;
    this.retire(this.current);
    this.current = next;
  }

  /** Runs on the current executor; throws only what `Executor.run` throws (misuse, a closed executor). */
  async run(code: string, options: RunOptions): Promise<RunResult> {
    const version = this.current;
    version.runs++;
    try {
      return await version.executor.run(code, options);
    } finally {
      version.runs--;
      if (version.retired && version.runs === 0) this.closeVersion(version);
    }
  }

  /** Starts the current executor's warm processes; a failure shows up in the first run instead. */
  warmup(): void {
    this.current.executor.warmup().catch(() => {});
  }

  /** Closes every executor, cancelling their runs, then the runtime if the slot made it. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.current, ...this.retired].map((version) => version.executor.close())).then(async () => {
      if (this.ownsRuntime) await this.runtime.close();
    });
    return this.closing;
  }

  private build(tools: readonly ToolDefinition[]): Version {
    return { executor: new Executor({ ...this.options, tools, capabilities: this.capabilities }), runs: 0, retired: false };
  }

  private retire(version: Version): void {
    version.retired = true;
    if (version.runs === 0) this.closeVersion(version);
    else this.retired.add(version);
  }

  private closeVersion(version: Version): void {
    this.retired.delete(version);
    version.executor.close().catch(() => {});
  }
}
