// CodeModeServer options: their defaults as named constants, checked once in the constructor. The executor
// options inside are checked by the Executor itself (its messages name the option and show the value).
import { CodemodeError, describeValue } from '../errors.js';
import type { ExecutorOptions, RunResult } from '../index.js';
import { DEFAULT_MAX_RESULT_CHARS } from './format.js';

export { DEFAULT_MAX_RESULT_CHARS };

/** With search enabled, declarations longer than this go out of the execute description (names only). */
export const DEFAULT_INLINE_DECLARATION_CHARS = 12_000;
/** Console entries sent to the client as notifications per run; the rest still come back in the result. */
export const DEFAULT_MAX_LOG_NOTIFICATIONS = 1_000;

/** What `onRunEnd` receives after every `execute` call. */
export interface RunRecord {
  code: string;
  result: RunResult;
  /** The MCP session (streamable HTTP), when there is one. */
  sessionId?: string;
}

export interface CodeModeServerOptions extends ExecutorOptions {
  /** The server's name in the MCP handshake. Default `'codemode'`. */
  name?: string;
  /** The server's version in the MCP handshake. Default: this package's version. */
  version?: string;
  /** Offer the `search` tool. Default false. */
  enableSearch?: boolean;
  /** With search enabled, an API longer than this many characters is listed by name only in the execute description. Default 12 000. */
  inlineDeclarationChars?: number;
  /** Characters of result text per `execute` call, value and console output together. Default 20 000. */
  maxResultChars?: number;
  /** Console entries streamed to the client per run as log and progress notifications. Default 1 000. */
  maxLogNotifications?: number;
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
  if (typeof options !== 'object' || options === null) {
    throw new CodemodeError('INVALID_OPTION', `expected CodeModeServer options to be an object, got ${describeValue(options)}`);
  }
  const { name, version, enableSearch, inlineDeclarationChars, maxResultChars, maxLogNotifications, onRunEnd, tools, capabilities, ...executor } = options;
  void tools;
  void capabilities;
  if (onRunEnd !== undefined && typeof onRunEnd !== 'function') {
    throw new CodemodeError('INVALID_OPTION', `expected \`onRunEnd\` to be a function, got ${describeValue(onRunEnd)}`);
  }
  return {
    name: text('name', name, 'codemode'),
    version: text('version', version, packageVersion),
    enableSearch: flag('enableSearch', enableSearch, false),
    inlineDeclarationChars: count('inlineDeclarationChars', inlineDeclarationChars, DEFAULT_INLINE_DECLARATION_CHARS),
    maxResultChars: count('maxResultChars', maxResultChars, DEFAULT_MAX_RESULT_CHARS),
    maxLogNotifications: count('maxLogNotifications', maxLogNotifications, DEFAULT_MAX_LOG_NOTIFICATIONS),
    onRunEnd,
    executor,
  };
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be a boolean, got ${describeValue(value)}`);
  return value;
}

function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be a non-negative integer, got ${describeValue(value)}`);
  }
  return value;
}
