// CodeModeServer options, checked once in the constructor against the rows of src/limits/table.ts. The
// executor options inside are checked by the Executor itself (its messages name the option and show the value).
import type { ExecutorOptions, RunResult } from '../index.js';
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

export interface CodeModeServerOptions extends ExecutorOptions, LimitOptions<typeof SERVER_LIMITS> {
  /** The server's name in the MCP handshake. Default `'codemode'`. */
  name?: string;
  /** The server's version in the MCP handshake. Default: this package's version. */
  version?: string;
  /** Offer the `search` tool. Default false. */
  enableSearch?: boolean;
  /**
   * Decides calls to tools marked `approval: 'ask'`. Default: ask the user through MCP elicitation, and
   * deny when the client cannot ask.
   */
  approve?: ExecutorOptions['approve'];
  /** Called after every `execute` run, e.g. for an audit log. A throwing callback is ignored. */
  onRunEnd?: (record: RunRecord) => void;
}

export interface ResolvedServerOptions {
  name: string;
  version: string;
  enableSearch: boolean;
  inlineDeclarationChars: number;
  maxResultChars: number;
  maxLogNotifications: number;
  onRunEnd: ((record: RunRecord) => void) | undefined;
  /** What is left for the Executor. */
  executor: Omit<ExecutorOptions, 'tools' | 'capabilities'>;
}

export function resolveServerOptions(options: CodeModeServerOptions, packageVersion: string): ResolvedServerOptions {
  checked('options', OBJECT, options, 'CodeModeServer');
  const { name, version, enableSearch, inlineDeclarationChars, maxResultChars, maxLogNotifications, onRunEnd, tools, capabilities, ...executor } = options;
  void tools;
  void capabilities;
  if (onRunEnd !== undefined) checked('onRunEnd', FUNCTION, onRunEnd);
  return {
    name: optional('name', TEXT, name, 'codemode'),
    version: optional('version', TEXT, version, packageVersion),
    enableSearch: optional('enableSearch', FLAG, enableSearch, false),
    ...resolveTable(SERVER_LIMITS, [{ inlineDeclarationChars, maxResultChars, maxLogNotifications }]),
    onRunEnd,
    executor,
  };
}
