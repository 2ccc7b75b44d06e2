// Errors thrown to the *caller* (the developer using the library) for misuse: bad options, a closed
// executor, an unknown call id. What model code does wrong never throws; it comes back as data.

export type CodemodeErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_TOOL'
  | 'DUPLICATE_TOOL'
  | 'EXECUTOR_CLOSED'
  | 'RUNTIME_CLOSED'
  | 'UNKNOWN_CALL'
  /** No sandbox process could start (the message has the cause from its stderr, and a hint). */
  | 'SANDBOX_START_FAILED'
  // Workspaces (executor.workspace()): used after `close()` (or its executor's), dropped after `idleMs`
  // without a run, more live than `maxWorkspaces`, or an `id` already open.
  | 'WORKSPACE_CLOSED'
  | 'WORKSPACE_EXPIRED'
  | 'WORKSPACE_LIMIT'
  | 'WORKSPACE_EXISTS'
  // Storage (codemode/storage): what a caller of FileStorage, RedisStorage or the artifact store gets wrong,
  // or what the store refuses. Each message shows the value at fault.
  | 'INVALID_NAME'
  | 'INVALID_DATA'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'TOO_LARGE'
  | 'STORAGE_FULL'
  | 'STORAGE_BUSY'
  | 'STORAGE_CORRUPT'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_CLOSED'
  /** A workflow's code does not compile against the current API (the error's `diagnostics` say where). */
  | 'WORKFLOW_INVALID'
  /** The executor has no `storage`, so it has no workflows. */
  | 'NO_STORAGE'
  // Modules (`modules: [...]`): a package not installed where it is looked up, or one that cannot run in
  // the sandbox (it needs Node's built-ins or globals, native code, or its code fails when it loads).
  | 'MODULE_NOT_FOUND'
  | 'MODULE_REFUSED';

export class CodemodeError extends Error {
  override readonly name = 'CodemodeError';
  constructor(
    readonly code: CodemodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Shows a bad value in a message: "`-5` (number)", "an object", "`undefined`". */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `\`${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}\` (string)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `\`${String(value)}\` (${typeof value})`;
    case 'undefined':
      return '`undefined`';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      return 'an object';
  }
}
