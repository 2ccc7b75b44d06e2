// CodeModeServer options, checked once in the constructor against the rows of src/limits/table.ts. The
// executor options inside are checked by the Executor itself (its messages name the option and show the value).
import { CodemodeError, describeValue } from '../errors.js';
import type { Approver, Capability, ExecutorOptions, RunResult } from '../index.js';
import type { Storage } from '../storage/index.js';
import { FLAG, FUNCTION, OBJECT, TEXT, checked, optional, resolveTable } from '../limits/rules.js';
import {
  DEFAULT_INLINE_DECLARATION_CHARS,
  DEFAULT_MAX_LOG_NOTIFICATIONS,
  DEFAULT_MAX_RESULT_CHARS,
  SERVER_LIMITS,
  type LimitOptions,
} from '../limits/table.js';

export { DEFAULT_INLINE_DECLARATION_CHARS, DEFAULT_MAX_LOG_NOTIFICATIONS, DEFAULT_MAX_RESULT_CHARS };

/** What `onRunEnd` receives after every `execute` call. */
export interface RunRecord {
  code: string;
  result: RunResult;
  /** The MCP session (streamable HTTP), when there is one. */
  sessionId?: string;
}

/** Something that offers capabilities that change over time, such as a McpToolSource. */
export interface ToolSource {
  capabilities(): readonly Capability[];
  /** Returns a function that unsubscribes. */
  onChange(listener: () => void): () => void;
}

export interface CodeModeServerOptions extends ExecutorOptions, LimitOptions<typeof SERVER_LIMITS> {
  /** The server's name in the MCP handshake. Default `'codemode'`. */
  name?: string;
  /** The server's version in the MCP handshake. Default: this package's version. */
  version?: string;
  /** Offer the `search` tool. Default false. */
  enableSearch?: boolean;
  /**
   * Give each MCP session (the stdio client; each streamable HTTP session) a workspace of its own, made on
   * its first `execute`: top-level variables persist between its runs, `execute` takes `reset`, and the
   * workspace is closed when the session ends. Default false (every run starts fresh).
   */
  workspaces?: boolean;
  /**
   * Decides calls to tools marked `approval: 'ask'`. Default: ask the user through MCP elicitation, and
   * deny when the client cannot ask.
   */
  approve?: Approver;
  /**
   * Capabilities that change while the server runs (e.g. a started McpToolSource): followed live, and
   * clients are told the tool list changed. The server does not close them.
   */
  sources?: readonly ToolSource[];
  /** Called after every `execute` run, e.g. for an audit log. A throwing callback is ignored. */
  onRunEnd?: (record: RunRecord) => void;
  /**
   * A store whose artifacts are offered as MCP resources (`codemode://artifacts/<name>`), with a
   * list-changed notification after an `execute` call that changed them. Give model code the same store
   * with `new ArtifactsCapability({ storage })`. Default: no resources.
   */
  artifacts?: Storage;
  /**
   * Serve the run inspector and approval console at `/inspector` on every `serveHttp` port, which must then
   * have a `token` (the page's login). Calls that ask for approval are asked there too: the first answer,
   * the page's or the client's (elicitation), wins. Default false.
   */
  inspector?: boolean;
}

export interface ResolvedServerOptions {
  name: string;
  version: string;
  enableSearch: boolean;
  workspaces: boolean;
  inlineDeclarationChars: number;
  maxResultChars: number;
  maxResultFileBytes: number;
  maxLogNotifications: number;
  inspector: boolean;
  inspectorRuns: number;
  onRunEnd: ((record: RunRecord) => void) | undefined;
  artifacts: Storage | undefined;
  /** What is left for the Executor. */
  executor: Omit<ExecutorOptions, 'tools' | 'capabilities'>;
}

export function resolveServerOptions(options: CodeModeServerOptions, packageVersion: string): ResolvedServerOptions {
  checked('options', OBJECT, options, 'CodeModeServer');
  const { name, version, enableSearch, workspaces, inlineDeclarationChars, maxResultChars, maxResultFileBytes, maxLogNotifications, inspector, inspectorRuns, onRunEnd, artifacts, tools, capabilities, sources, ...executor } =
    options;
  void tools;
  void capabilities;
  void sources;
  if (onRunEnd !== undefined) checked('onRunEnd', FUNCTION, onRunEnd);
  if (artifacts !== undefined && typeof checked('artifacts', OBJECT, artifacts).list !== 'function') {
    throw new CodemodeError('INVALID_OPTION', `expected \`artifacts\` to be a Storage (FileStorage or RedisStorage), got ${describeValue(artifacts)}`);
  }
  return {
    name: optional('name', TEXT, name, 'codemode'),
    version: optional('version', TEXT, version, packageVersion),
    enableSearch: optional('enableSearch', FLAG, enableSearch, false),
    workspaces: optional('workspaces', FLAG, workspaces, false),
    inspector: optional('inspector', FLAG, inspector, false),
    ...resolveTable(SERVER_LIMITS, [{ inlineDeclarationChars, maxResultChars, maxResultFileBytes, maxLogNotifications, inspectorRuns }]),
    onRunEnd,
    artifacts,
    executor,
  };
}
