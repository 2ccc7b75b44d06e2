// CodeModeServer: codemode as an MCP server with two tools, `execute` (run model code against the host's
// tools) and `search` (find tools and their types). It owns one executor, whose tool set is live, and every
// MCP server instance it made; `close()` ends all of them. It never runs model code itself: that happens
// in sandbox processes.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CodemodeError } from '../errors.js';
import { reportFault } from '../fault.js';
import { DEFAULT_APPROVAL_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, Executor, type Capability, type ToolDefinition } from '../index.js';
import type { ToolRegistry } from '../tools/registry.js';
import { executeDescription } from './describe.js';
import { serveHttp, type HttpServeOptions, type HttpServer } from './http.js';
import { ArtifactChanges } from './resources.js';
import { resolveServerOptions, type CodeModeServerOptions, type ResolvedServerOptions, type RunRecord } from './options.js';
import { createMcpServer, type CodemodeMcp, type ToolHost } from './tools.js';
import { packageVersion } from '../present/version.js';
import { Inspector } from '../inspector/inspector.js';

export class CodeModeServer {
  /** The SDK server used by `connect()` and `serveStdio()`. Streamable HTTP sessions each get their own. */
  readonly mcp: McpServer;
  private readonly host: ToolHost;
  private readonly executor: Executor;
  private readonly instances = new Set<CodemodeMcp>();
  private readonly primary: CodemodeMcp;
  private readonly httpServers = new Set<HttpServer>();
  private readonly inspector: Inspector | undefined;
  private closed = false;
  private readonly unsubscribe: (() => void)[];
  private closing: Promise<void> | undefined;

  constructor(options: CodeModeServerOptions = {}) {
    const resolved = resolveServerOptions(options, packageVersion());
    // Builds the executor now: bad executor options or tools throw here, not in a model's run.
    const sources = options.sources ?? [];
    if (!Array.isArray(sources) || sources.some((source) => typeof source?.capabilities !== 'function' || typeof source.onChange !== 'function')) {
      throw new CodemodeError('INVALID_OPTION', 'expected `sources` to be an array of tool sources (with capabilities() and onChange())');
    }
    this.executor = new Executor({ ...resolved.executor, tools: options.tools ?? [], capabilities: options.capabilities ?? [] });
    const changes =
      resolved.artifacts &&
      new ArtifactChanges(resolved.artifacts, async () => {
        const connected = [...this.instances].filter(({ mcp }) => mcp.isConnected());
        await Promise.allSettled(connected.map(({ mcp }) => mcp.server.sendResourceListChanged()));
      });
    this.inspector = resolved.inspector ? new Inspector(resolved.inspectorRuns, this.executor) : undefined;
    this.host = toolHost(resolved, this.executor, changes, this.inspector);
    this.primary = this.instance();
    this.mcp = this.primary.mcp;
    const refresh = () => {
      const description = this.host.executeDescription();
      for (const instance of this.instances) instance.refresh(description);
    };
    this.executor.tools.onChange(refresh);
    // A workflow saved (by model code, or by another server on the same store) is in the next description.
    this.executor.workflows?.onChange(refresh);
    // A source's capabilities enter the live tool set; each change swaps them in (runs going on keep theirs).
    this.unsubscribe = sources.map((source) => {
      const names = new Set<string>();
      const sync = () => {
        if (this.closed) return;
        // A source swaps only names it owns or that are free: an upstream server named like a configured
        // tool or capability must not replace it.
        const taken = new Set(this.executor.tools.names().map((name) => name.split('.')[0]!).filter((name) => !names.has(name)));
        const current = source.capabilities().filter((capability: Capability) => {
          if (!taken.has(capability.name)) return true;
          reportFault(`adding the tool source's namespace "${capability.name}"`, new Error('the name is taken by another tool or capability'));
          return false;
        });
        const gone = [...names].filter((name) => !current.some((capability: Capability) => capability.name === name));
        // One change for the whole source: the execute description is rebuilt, and clients told, once.
        this.executor.tools.update({ replace: current, remove: gone });
        names.clear();
        for (const capability of current) names.add(capability.name);
      };
      sync();
      return source.onChange(sync);
    });
  }

  /**
   * The live tool set behind `execute` and `search` (`tools.add`, `tools.replace`, `tools.remove`). Runs
   * already going finish with the tools they started with; the next runs, the execute description and
   * search see each change, and connected clients are told the tool list changed when the description did.
   */
  get tools(): ToolRegistry {
    return this.executor.tools;
  }

  /** Adds a tool or a capability (see `tools`). Throws `CodemodeError` when it is malformed or its name is taken. */
  tool(definition: ToolDefinition | Capability): this {
    this.assertOpen();
    this.executor.tools.add(definition);
    return this;
  }

  /** Removes the tool or capability named `name`; false when there is none. */
  removeTool(name: string): boolean {
    this.assertOpen();
    return this.executor.tools.remove(name);
  }

  /** The `execute` tool's description as the model reads it: rules and API (or the catalog of names). */
  executeDescription(): string {
    return this.host.executeDescription();
  }

  /**
   * Waits until a sandbox process is ready to run code (serving starts them too, without waiting); rejects
   * with CodemodeError SANDBOX_START_FAILED, the cause in its message, when none can start.
   */
  warmup(): Promise<void> {
    this.assertOpen();
    return this.executor.warmup();
  }

  /** Serves `server.mcp` over a transport of your choice. */
  async connect(transport: Transport): Promise<void> {
    this.assertOpen();
    await this.primary.mcp.connect(transport);
    this.executor.warmup().catch(() => {}); // a failure shows up in the first run instead
  }

  /** Serves over this process's stdin and stdout; closes everything when stdin ends (the client left). */
  async serveStdio(): Promise<void> {
    await this.connect(new StdioServerTransport());
    process.stdin.once('end', () => void this.close());
  }

  /** Serves streamable HTTP at `http://host:port/mcp`, bound to 127.0.0.1 unless `host` says otherwise. */
  async serveHttp(options: HttpServeOptions): Promise<HttpServer> {
    this.assertOpen();
    const server = await serveHttp(options, () => this.instance(), this.inspector);
    this.httpServers.add(server);
    this.executor.warmup().catch(() => {}); // a failure shows up in the first run instead
    return server;
  }

  /** Closes the HTTP servers, every MCP connection and the executor (running code is cancelled). */
  close(): Promise<void> {
    this.closed = true;
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.closing ??= (async () => {
      // The executor first: running code ends as `cancelled` and its caller still gets that answer, then the
      // connections go.
      await this.executor.close();
      await Promise.allSettled([...this.httpServers].map((server) => server.close()));
      await Promise.allSettled([...this.instances].map(({ mcp }) => mcp.close()));
      this.inspector?.close();
    })();
    return this.closing;
  }

  /** A new SDK server with the codemode tools, tracked so `tool()` can refresh it and `close()` end it. */
  private instance(): CodemodeMcp {
    const instance = createMcpServer(this.host);
    this.instances.add(instance);
    const previous = instance.mcp.server.onclose;
    instance.mcp.server.onclose = () => {
      if (instance !== this.primary) this.instances.delete(instance);
      previous?.();
    };
    return instance;
  }

  private assertOpen(): void {
    if (this.closed) throw new CodemodeError('EXECUTOR_CLOSED', 'the CodeModeServer is closed');
  }
}

function toolHost(options: ResolvedServerOptions, executor: Executor, changes: ArtifactChanges | undefined, inspector: Inspector | undefined): ToolHost {
  const timeoutMs = options.executor.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    options,
    inspector,
    executor,
    timeoutMs,
    approvalTimeoutMs: options.executor.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    executeDescription: () =>
      executeDescription({
        declarations: executor.declarations(),
        names: [...executor.tools.names(), ...(executor.workflows?.names() ?? [])],
        ...(executor.workflows ? { workflows: executor.workflows.summaries() } : {}),
        namespaces: executor.tools.capabilities.map((capability) => ({ name: capability.name, tools: capability.tools.length, description: capability.description ?? '' })),
        timeoutMs,
        search: options.enableSearch,
        inlineDeclarationChars: options.inlineDeclarationChars,
        workspaces: options.workspaces,
        modules: executor.modules(),
      }),
    afterRun: () => changes?.check() ?? Promise.resolve(),
    record: (record: RunRecord) => {
      try {
        options.onRunEnd?.(record);
      } catch {
        // An audit callback that throws must not turn a finished run into a failed call.
      }
    },
  };
}
