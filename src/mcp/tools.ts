// One MCP server instance with the `execute` and `search` tools. Each connection (stdio, or one streamable
// HTTP session) gets its own instance, as the SDK requires; all of them share the CodeModeServer's
// executor, so runs from every session are served by one pool of sandbox processes.
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SetLevelRequestSchema, type CallToolResult, type LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { CodemodeError, type Approver, type Executor, type RunResult } from '../index.js';
import { reportFault } from '../fault.js';
import { canElicit, elicitationApprover } from './approvals.js';
import type { Inspector } from '../inspector/inspector.js';
import { SEARCH_DESCRIPTION } from './describe.js';
import { formatRun } from '../present/format.js';
import { filesContent } from './files.js';
import { streamRun } from './notify.js';
import { registerArtifactResources } from './resources.js';
import { SessionWorkspace } from './workspace.js';
import type { ResolvedServerOptions, RunRecord } from './options.js';
import { executeInputSchema, executeOutputSchema, searchInputSchema } from './schemas.js';
import { formatSearch } from './search-text.js';

/** What an MCP server instance needs from the CodeModeServer that made it. */
export interface ToolHost {
  readonly options: ResolvedServerOptions;
  readonly executor: Executor;
  /** The server's time limit per run (the executor's `timeoutMs`), which a call may lower but not raise. */
  readonly timeoutMs: number;
  /** How long one approval may wait (the executor's `approvalTimeoutMs`). */
  readonly approvalTimeoutMs: number;
  executeDescription(): string;
  record(record: RunRecord): void;
  /** After each run: tells clients when the artifacts changed (resolves once they were told). */
  afterRun(): Promise<void>;
  /** The inspector page, when the server has one: it shows the runs and answers approvals. */
  readonly inspector: Inspector | undefined;
}

export interface CodemodeMcp {
  mcp: McpServer;
  /** Takes the execute description after the tool set changed; tells the client when it is a new one. */
  refresh(description: string): void;
}

export function createMcpServer(host: ToolHost): CodemodeMcp {
  const { name, version, enableSearch } = host.options;
  const mcp = new McpServer({ name, version }, { capabilities: { logging: {} } });

  // The SDK keeps the level the client sets but does not expose it; keep our own copy to filter by.
  let minimumLevel: LoggingLevel | undefined;
  mcp.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    minimumLevel = request.params.level;
    return {};
  });

  let description = host.executeDescription();
  // With workspaces, this connection's own (one MCP session per server instance), closed with it.
  let sessionId: string | undefined;
  const workspace = host.options.workspaces ? new SessionWorkspace(host.executor, () => sessionId) : undefined;
  if (workspace) {
    const previous = mcp.server.onclose;
    mcp.server.onclose = () => {
      void workspace.close().catch((error: unknown) => reportFault('closing the workspace of an MCP session', error));
      previous?.();
    };
  }
  const execute: RegisteredTool = mcp.registerTool(
    'execute',
    {
      title: 'Run code with codemode tools',
      description,
      inputSchema: executeInputSchema(host.timeoutMs, host.options.workspaces),
      outputSchema: executeOutputSchema,
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    async ({ code, timeoutMs, reset }: { code: string; timeoutMs?: number | undefined; reset?: boolean | undefined }, extra) => {
      sessionId ??= extra.sessionId;
      const { inspector } = host;
      const elicit = elicitationApprover(mcp.server, { requestId: extra.requestId, signal: extra.signal, timeoutMs: host.approvalTimeoutMs });
      // With the inspector, the page asks too (the client only when it can): the first answer wins.
      const approve: Approver = host.options.executor.approve ?? (inspector ? inspector.approver(extra.sessionId, canElicit(mcp.server) ? elicit : undefined) : elicit);
      const stream = streamRun({
        send: (notification) => extra.sendNotification(notification),
        progressToken: extra._meta?.progressToken,
        minimumLevel: () => minimumLevel,
        maxEntries: host.options.maxLogNotifications,
      });
      let result: RunResult;
      try {
        const options = {
          timeoutMs: Math.max(1, Math.floor(Math.min(timeoutMs ?? host.timeoutMs, host.timeoutMs))),
          signal: extra.signal,
          onLog: stream.onLog,
          onNotice: stream.onNotice,
          approve,
          // Sessions share sandbox processes fairly: one that sends only runaway code waits behind its own runs.
          ...(extra.sessionId ? { tenant: extra.sessionId } : {}),
        };
        const run = () => (workspace ? workspace.run(code, options, reset === true) : host.executor.run(code, options));
        result = await (inspector ? inspector.track(extra.sessionId, run) : run());
      } catch (error) {
        if (error instanceof CodemodeError) return unavailable(error);
        return hostFault('running the code', error);
      }
      try {
        host.record({ code, result, ...(extra.sessionId ? { sessionId: extra.sessionId } : {}) });
        await host.afterRun();
        const { text, structured } = formatRun(result, host.options.maxResultChars);
        const files = filesContent(result, host.options.maxResultFileBytes);
        return {
          content: [{ type: 'text', text: files.text ? `${text}\n${files.text}` : text }, ...files.blocks],
          structuredContent: { ...structured, ...(files.files ? { files: files.files } : {}), ...(files.filesOmitted ? { filesOmitted: files.filesOmitted, filesOmittedCount: files.filesOmittedCount } : {}) },
          isError: !result.ok,
        };
      } catch (error) {
        return hostFault('reporting the result', error);
      }
    },
  );

  if (host.options.artifacts !== undefined) registerArtifactResources(mcp, host.options.artifacts);

  if (enableSearch) {
    mcp.registerTool(
      'search',
      {
        title: 'Find codemode tools',
        description: SEARCH_DESCRIPTION,
        inputSchema: searchInputSchema,
        // No outputSchema: its ~75 tokens would sit in every request, and the text carries the same facts.
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async ({ query, limit }) => {
        try {
          const { executor } = host;
          // Workflows another server saved into a shared store are found too.
          await executor.workflows?.refresh().catch((error: unknown) => reportFault('reading the workflows for a search', error));
          const names = [...executor.tools.names(), ...(executor.workflows?.names() ?? [])];
          const found = formatSearch(query, executor.search(query, { limit }), names, host.options.maxResultChars);
          return { content: [{ type: 'text', text: found.text }], structuredContent: found.structured };
        } catch (error) {
          return hostFault('searching', error);
        }
      },
    );
  }

  return {
    mcp,
    refresh: (next) => {
      if (next === description) return;
      description = next;
      // The SDK sends notifications/tools/list_changed on update (when connected).
      execute.update({ description });
    },
  };
}

/**
 * The host failed on its own while handling a call (a bug, or an input nobody bounded): the model reads a
 * tool error that says so, never a protocol error, and the operator gets one warning (see fault.ts).
 */
function hostFault(what: string, error: unknown): CallToolResult {
  reportFault(`${what} for an MCP tool call`, error);
  return { content: [{ type: 'text', text: `Error (crashed): the host failed while ${what}. Simplify the call and try again.` }], isError: true };
}

/** The run could not start: the server is closing. Said plainly; there is no run result to report. */
function unavailable(error: unknown): CallToolResult {
  const reason = error instanceof Error ? error.message : String(error);
  if (error instanceof CodemodeError && error.code === 'WORKSPACE_EXPIRED') {
    const text = 'Error: the code did not run: this session’s workspace was dropped after too long without a run, and its variables with it. Send the code again: it runs in a new, empty workspace.';
    return { content: [{ type: 'text', text }], isError: true };
  }
  if (error instanceof CodemodeError && error.code === 'WORKSPACE_LIMIT') {
    return { content: [{ type: 'text', text: `Error: the code did not run: the server has no room for another workspace (${reason}). Try again later.` }], isError: true };
  }
  return { content: [{ type: 'text', text: `Error: the code did not run (${reason}). The server is shutting down or misconfigured.` }], isError: true };
}
