// One upstream MCP server as seen from the host: the SDK client over stdio or streamable HTTP, its current
// tool list, and its life. A server that dies (or cannot be reached) is reconnected with jittered
// exponential backoff; calls made meanwhile fail at once with UpstreamUnavailable instead of waiting. An
// HTTP server that answers 401 or 403 is not down but refusing our credentials: retrying cannot fix that,
// so the connection stops (state `unauthorized`) and calls fail at once with UpstreamUnauthorized until the
// operator fixes the config. A server's `notifications/tools/list_changed` re-lists its tools.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ListToolsResultSchema,
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type LoggingMessageNotification,
  type ProgressNotification,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { UPSTREAM_CAPS } from '../limits/table.js';
import type { ToolContext } from '../tools/define.js';
import type { ResolvedServer } from './config.js';
import { reconnectDelay } from './backoff.js';
import { upstreamError } from './errors.js';
import type { Redactor } from './redact.js';

export type ServerState = 'idle' | 'connecting' | 'ready' | 'down' | 'unauthorized' | 'closed';

export interface ConnectionOptions {
  readonly clientName: string;
  readonly clientVersion: string;
  readonly connectTimeoutMs: number;
  readonly callTimeoutMs: number;
  readonly reconnectDelayMs: number;
  readonly maxReconnectDelayMs: number;
  readonly redactor: Redactor;
  /** The tool list changed (first connection, list_changed, a reconnect). */
  onTools(connection: Connection): void;
  /** The state changed, or something worth a line in a log happened. */
  onEvent(connection: Connection, message: string): void;
}

/** Lines of a stdio server's stderr kept, to explain why it died. */
const STDERR_TAIL_CHARS = 2_000;

export class Connection {
  state: ServerState = 'idle';
  tools: readonly Tool[] = [];
  /** What UPSTREAM_CAPS cut from the last tool list (pages not read, tools past the count). */
  listCuts: readonly string[] = [];
  /** What the server said about itself when it last connected. */
  info: { name?: string; title?: string; instructions?: string } = {};
  /** Why the server is down, redacted; undefined while all is well. */
  lastError: string | undefined;
  /** Consecutive failed attempts since the last good connection. */
  attempts = 0;
  /** The HTTP status (401 or 403) with which the server refused our credentials; the connection stopped. */
  private refusedWith: number | undefined;
  private client: Client | undefined;
  private transport: Transport | undefined;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stderrTail = '';
  private readonly readyWaiters = new Set<() => void>();
  /**
   * Progress tokens of calls going on → who hears their progress. Ours, not the SDK's `onprogress`: the SDK
   * forgets a call's token the moment its result arrives, before it has handled a progress notification that
   * came just ahead of the result (the last step of most operations), so that one would be lost
   * (modelcontextprotocol/typescript-sdk#2580).
   */
  private readonly progressListeners = new Map<string, NonNullable<ToolContext['notify']>>();
  private progressTokens = 0;
  private relisting = false;
  private relistAgain = false;
  /** Runs with a call to this server going on, by run id: they hear its log lines (see `log`). */
  private readonly listening = new Map<string, { notify: NonNullable<ToolContext['notify']>; calls: number }>();

  constructor(
    readonly server: ResolvedServer,
    private readonly options: ConnectionOptions,
  ) {}

  get name(): string {
    return this.server.name;
  }

  /** The stdio server's process id while it runs (diagnostics and tests). */
  get pid(): number | undefined {
    return this.transport instanceof StdioClientTransport ? (this.transport.pid ?? undefined) : undefined;
  }

  /** Connects (once at a time); resolves when connected or when this attempt failed (then a retry is scheduled). */
  connect(): Promise<void> {
    if (this.state === 'closed' || this.state === 'ready' || this.state === 'unauthorized') return Promise.resolve();
    this.connecting ??= this.attempt().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Resolves the next time the server is connected (at once if it is). */
  whenReady(): Promise<void> {
    if (this.state === 'ready') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.add(resolve));
  }

  /**
   * Calls `tool`. When the run listens (`context.notify`), the server's progress for this call and its log
   * lines while the call goes on are reported to it, redacted. `timeoutMs` bounds the whole call: progress
   * does not extend it, so a server cannot keep a call open by reporting.
   */
  async call(tool: string, input: unknown, context: Pick<ToolContext, 'signal' | 'runId' | 'notify'>): Promise<CallToolResult> {
    const client = this.client;
    if (this.refusedWith !== undefined) throw upstreamError.unauthorized(this.name, tool, this.refusedWith);
    if (this.state !== 'ready' || !client) throw upstreamError.unavailable(this.name, tool, this.describeDown());
    const timeoutMs = this.server.timeoutMs ?? this.options.callTimeoutMs;
    const { notify } = context;
    const stopListening = notify ? this.listen(context.runId, notify) : undefined;
    // A progress token tells the server someone watches; only sent when someone does.
    const progressToken = notify ? `codemode-${++this.progressTokens}` : undefined;
    if (progressToken) this.progressListeners.set(progressToken, notify!);
    try {
      const params = { name: tool, arguments: input as Record<string, unknown>, ...(progressToken ? { _meta: { progressToken } } : {}) };
      const result = await client.callTool(params, undefined, { signal: context.signal, timeout: timeoutMs });
      return result as CallToolResult;
    } catch (error) {
      const status = refusedStatus(error);
      if (status !== undefined) {
        // The credentials were revoked while connected: stop, as at connect time.
        if (this.client === client) this.refuse(client, status);
        throw upstreamError.unauthorized(this.name, tool, status);
      }
      const failure = upstreamError.fromCallFailure(this.name, tool, error, timeoutMs, this.options.redactor);
      // An HTTP server that stopped answering looks like a failed fetch: treat it as gone and reconnect.
      if (failure.name === 'UpstreamUnavailable' && this.client === client && this.state === 'ready') this.lost(client, failure.message);
      throw failure;
    } finally {
      stopListening?.();
      if (progressToken) this.progressListeners.delete(progressToken);
    }
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.transport = undefined;
    await client?.close().catch(() => {});
  }

  private async attempt(): Promise<void> {
    this.state = 'connecting';
    const transport = this.makeTransport();
    const client = new Client({ name: this.options.clientName, version: this.options.clientVersion }, { capabilities: {} });
    this.stderrTail = '';
    try {
      await client.connect(transport, { timeout: this.options.connectTimeoutMs });
      const { tools, cuts } = await listAll(client, this.options.connectTimeoutMs);
      if (this.closed()) {
        await client.close().catch(() => {});
        return;
      }
      this.client = client;
      this.transport = transport;
      this.tools = tools;
      this.listCuts = cuts;
      const version = client.getServerVersion();
      this.info = { name: version?.name, title: version?.title, instructions: client.getInstructions() };
      this.state = 'ready';
      this.attempts = 0;
      this.lastError = undefined;
      client.onclose = () => this.lost(client, 'the connection closed');
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.relist(client));
      client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => this.log(client, notification));
      client.setNotificationHandler(ProgressNotificationSchema, (notification) => this.progress(client, notification));
      this.options.onEvent(this, `connected, ${tools.length} tools`);
      this.options.onTools(this);
      for (const resolve of this.readyWaiters) resolve();
      this.readyWaiters.clear();
    } catch (error) {
      await client.close().catch(() => {});
      if (this.closed()) return;
      const status = refusedStatus(error);
      if (status !== undefined) this.refuse(undefined, status);
      else this.fail(`could not connect: ${this.reason(error)}`);
    }
  }

  /** Read through a method: `close()` may run while an attempt awaits, which narrowing cannot see. */
  private closed(): boolean {
    return this.state === 'closed';
  }

  private makeTransport(): Transport {
    const server = this.server;
    if (server.transport === 'http') {
      return new StreamableHTTPClientTransport(server.url, { requestInit: { headers: { ...server.headers } } });
    }
    const transport = new StdioClientTransport({
      command: server.command,
      args: [...server.args],
      env: { ...getDefaultEnvironment(), ...server.env },
      ...(server.cwd === undefined ? {} : { cwd: server.cwd }),
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    return transport;
  }

  /** `runId` hears this server's log lines until the returned function is called (once per call). */
  private listen(runId: string, notify: NonNullable<ToolContext['notify']>): () => void {
    const entry = this.listening.get(runId) ?? { notify, calls: 0 };
    entry.calls++;
    this.listening.set(runId, entry);
    return () => {
      if (--entry.calls === 0) this.listening.delete(runId);
    };
  }

  /**
   * A log line from the server. MCP does not say which request a log line belongs to, so it reaches a run
   * only when that run is the one with calls to this server going on: with two runs (of two MCP sessions,
   * say) calling it at once, a line could carry one client's data to the other, so it goes nowhere; and the
   * server's own chatter between calls is not any client's business. Credentials are masked before it leaves.
   */
  private log(client: Client, notification: LoggingMessageNotification): void {
    if (this.client !== client || this.listening.size !== 1) return;
    const { level, data } = notification.params;
    const notice = { type: 'log', level, logger: `upstream:${this.name}`, data: this.options.redactor.value(data) } as const;
    for (const { notify } of this.listening.values()) notify(notice);
  }

  /** Progress of one of our calls, to the run that made it; a token we did not hand out is ignored. */
  private progress(client: Client, notification: ProgressNotification): void {
    const { progressToken, progress, total, message } = notification.params;
    const notify = this.client === client ? this.progressListeners.get(String(progressToken)) : undefined;
    if (!notify) return;
    notify({ type: 'progress', progress, total, message: typeof message === 'string' ? this.options.redactor.text(message) : undefined });
  }

  /**
   * Re-reads the tool list after list_changed. One listing at a time: notifications that arrive meanwhile
   * ask for one more listing after it, so a server that sends list_changed in a loop costs one listing
   * after another, never a pile of them at once.
   */
  private relist(client: Client): void {
    if (this.relisting) {
      this.relistAgain = true;
      return;
    }
    this.relisting = true;
    void this.listAgain(client).finally(() => {
      this.relisting = false;
      const again = this.relistAgain;
      this.relistAgain = false;
      if (again && this.client === client) this.relist(client);
    });
  }

  private async listAgain(client: Client): Promise<void> {
    try {
      const { tools, cuts } = await listAll(client, this.options.connectTimeoutMs);
      if (this.client !== client || this.state !== 'ready') return;
      // A server that says list_changed without changing anything (or in a loop) costs a listing, not a
      // rebuild of the tool set, the declarations and every client's description.
      if (JSON.stringify(cuts) === JSON.stringify(this.listCuts) && JSON.stringify(tools) === JSON.stringify(this.tools)) return;
      this.tools = tools;
      this.listCuts = cuts;
      this.options.onEvent(this, `tool list changed, ${tools.length} tools`);
      this.options.onTools(this);
    } catch (error) {
      this.options.onEvent(this, `could not re-list tools after list_changed: ${this.reason(error)}`);
    }
  }

  /** The connection of `client` ended while in use: the server died or went away. */
  private lost(client: Client, why: string): void {
    if (this.client !== client || this.state === 'closed') return;
    this.client = undefined;
    this.transport = undefined;
    void client.close().catch(() => {});
    this.fail(`${why}${this.stderrLine()}`);
  }

  /** The server refused our credentials (HTTP `status`): no retry loop, calls fail at once until the config is fixed. */
  private refuse(client: Client | undefined, status: number): void {
    if (this.state === 'closed') return;
    this.state = 'unauthorized';
    this.refusedWith = status;
    clearTimeout(this.retryTimer);
    if (client) {
      this.client = undefined;
      this.transport = undefined;
      void client.close().catch(() => {});
    }
    this.lastError = `the server refused our credentials (HTTP ${status}); check the headers of server "${this.name}" in the config`;
    this.options.onEvent(this, `${this.lastError}; not retrying`);
  }

  private fail(reason: string): void {
    this.state = 'down';
    this.attempts++;
    this.lastError = this.options.redactor.text(reason);
    const delay = reconnectDelay(this.attempts, this.options.reconnectDelayMs, this.options.maxReconnectDelayMs);
    this.options.onEvent(this, `${this.lastError}; reconnecting in ${delay} ms (attempt ${this.attempts})`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    // A server that stays down must not keep the host process alive.
    this.retryTimer.unref();
  }

  private describeDown(): string {
    if (this.state === 'closed') return 'the tool source is closed';
    if (this.state === 'idle' || this.state === 'connecting') return 'it is still starting';
    return `${this.lastError ?? 'it is down'}; reconnecting (attempt ${this.attempts})`;
  }

  private stderrLine(): string {
    const last = this.stderrTail.trim().split('\n').at(-1)?.trim();
    return last ? ` (its last stderr line: ${last.slice(0, 300)})` : '';
  }

  private reason(error: unknown): string {
    const text = error instanceof Error ? error.message : String(error);
    return this.options.redactor.text(`${text}${this.stderrLine()}`);
  }
}

/** 401 or 403 from a streamable HTTP server: our credentials are refused. Undefined for anything else. */
function refusedStatus(error: unknown): number | undefined {
  return error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403) ? error.code : undefined;
}

/**
 * The server's tools, following `nextCursor` for at most UPSTREAM_CAPS.maxPages pages and keeping at most
 * maxTools, with what was cut. Read with a plain request rather than `client.listTools()`, which compiles an
 * output validator for every tool of every page before anything here can bound it (and keeps only the last
 * page's); tools.ts validates structured output itself, for the tools kept, when they are called.
 */
async function listAll(client: Client, timeoutMs: number): Promise<{ tools: Tool[]; cuts: string[] }> {
  const { maxPages, maxTools } = UPSTREAM_CAPS;
  const tools: Tool[] = [];
  const cuts: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page === maxPages) {
      cuts.push(`tools/list has more than ${maxPages} pages; the tools after page ${maxPages} were not read`);
      break;
    }
    const result = await client.request({ method: 'tools/list', params: cursor === undefined ? {} : { cursor } }, ListToolsResultSchema, { timeout: timeoutMs });
    tools.push(...result.tools);
    if (tools.length > maxTools) {
      cuts.push(`tools/list has more than ${maxTools} tools; the first ${maxTools} were kept`);
      tools.length = maxTools;
      break;
    }
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return { tools, cuts };
}
