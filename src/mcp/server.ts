// CodeModeServer: codemode as an MCP server with two tools, `execute` (run model code against the host's
// tools) and `search` (find tools and their types). It owns the executors and every MCP server instance it
// made; `close()` ends all of them. It never runs model code itself: that happens in sandbox processes.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CodemodeError } from '../errors.js';
import { DEFAULT_APPROVAL_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, defineTool, type ToolDefinition } from '../index.js';
import { executeDescription } from './describe.js';
import { ExecutorSlot } from './executor-slot.js';
import { serveHttp, type HttpServeOptions, type HttpServer } from './http.js';
import { ArtifactChanges } from './resources.js';
import { resolveServerOptions, type CodeModeServerOptions, type ResolvedServerOptions, type RunRecord } from './options.js';
import { createMcpServer, type CodemodeMcp, type ToolHost } from './tools.js';
import { packageVersion } from '../present/version.js';

export class CodeModeServer {
  /** The SDK server used by `connect()` and `serveStdio()`. Streamable HTTP sessions each get their own. */
  readonly mcp: McpServer;
  private readonly host: ToolHost;
  private readonly slot: ExecutorSlot;
  private readonly instances = new Set<CodemodeMcp>();
  private readonly primary: CodemodeMcp;
  private readonly httpServers = new Set<HttpServer>();
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: CodeModeServerOptions = {}) {
    const resolved = resolveServerOptions(options, packageVersion());
    // Builds the first executor now: bad executor options or tools throw here, not in a model's run.
    this.slot = new ExecutorSlot(resolved.executor, options.tools ?? [], options.capabilities ?? []);
    const changes =
      resolved.artifacts &&
      new ArtifactChanges(resolved.artifacts, async () => {
        const connected = [...this.instances].filter(({ mcp }) => mcp.isConnected());
        await Promise.allSettled(connected.map(({ mcp }) => mcp.server.sendResourceListChanged()));
      });
    this.host = toolHost(resolved, this.slot, changes);
    this.primary = this.instance();
    this.mcp = this.primary.mcp;
  }

  /**
   * Adds a tool. Runs already going finish with the tools they started with; the next runs and the
   * execute description see the new one, and connected clients are told the tool list changed.
   */
  tool(definition: ToolDefinition): this {
    this.assertOpen();
    this.slot.add(defineTool(definition));
    for (const instance of this.instances) instance.refresh();
    return this;
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
    return this.slot.executor.warmup();
  }

  /** Serves `server.mcp` over a transport of your choice. */
  async connect(transport: Transport): Promise<void> {
    this.assertOpen();
    await this.primary.mcp.connect(transport);
    this.slot.warmup();
  }

  /** Serves over this process's stdin and stdout; closes everything when stdin ends (the client left). */
  async serveStdio(): Promise<void> {
    await this.connect(new StdioServerTransport());
    process.stdin.once('end', () => void this.close());
  }

  /** Serves streamable HTTP at `http://host:port/mcp`, bound to 127.0.0.1 unless `host` says otherwise. */
  async serveHttp(options: HttpServeOptions): Promise<HttpServer> {
    this.assertOpen();
    const server = await serveHttp(options, () => this.instance());
    this.httpServers.add(server);
    this.slot.warmup();
    return server;
  }

  /** Closes the HTTP servers, every MCP connection and the executors (running code is cancelled). */
  close(): Promise<void> {
    this.closed = true;
    this.closing ??= (async () => {
      // Executors first: running code ends as `cancelled` and its caller still gets that answer, then the
      // connections go.
      await this.slot.close();
      await Promise.allSettled([...this.httpServers].map((server) => server.close()));
      await Promise.allSettled([...this.instances].map(({ mcp }) => mcp.close()));
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

function toolHost(options: ResolvedServerOptions, slot: ExecutorSlot, changes: ArtifactChanges | undefined): ToolHost {
  const timeoutMs = options.executor.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    options,
    slot,
    timeoutMs,
    approvalTimeoutMs: options.executor.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    executeDescription: () =>
      executeDescription({
        declarations: slot.executor.declarations(),
        names: slot.executor.registry.names(),
        timeoutMs,
        search: options.enableSearch,
        inlineDeclarationChars: options.inlineDeclarationChars,
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
