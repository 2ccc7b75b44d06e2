// The public API of `codemode`. Everything exported here is public; nothing else is.
export { Executor } from './executor/executor.js';
export {
  DEFAULT_APPROVAL_TIMEOUT_MS,
  DEFAULT_IDLE_PROCESS_MS,
  DEFAULT_JOURNAL_MAX_BYTES,
  DEFAULT_JOURNAL_TTL_MS,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_FILES_BYTES,
  DEFAULT_MAX_HOST_CALLS,
  DEFAULT_MAX_LOG_CHARS,
  DEFAULT_MAX_PROCESSES,
  DEFAULT_MAX_VALUE_CHARS,
  DEFAULT_MAX_WORKSPACES,
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_MIN_PROCESSES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WORKSPACE_IDLE_MS,
} from './limits/table.js';
export type { Workspace, WorkspaceEnd, WorkspaceOptions } from './executor/workspace.js';
export {
  type ApprovalDecision,
  type ApprovalRequest,
  type Approver,
  type CallNotice,
  type ExecutorOptions,
  type JournalOptions,
  type ResumeOptions,
  type RunLimits,
  type RunOptions,
} from './executor/options.js';
export type { Journals, JournalSummary } from './journal/journals.js';
export type { PausedRun, PendingCall } from './results/types.js';
export { SandboxRuntime } from './runtime/runtime.js';
export type { SandboxRuntimeOptions } from './runtime/options.js';
export type { Session } from './session/session.js';
export type { CallHandler, HostCall, Interceptor } from './pipeline/call.js';
export type { ToolRegistry, ToolSet, ToolSetChange, RegisteredTool } from './tools/registry.js';
export type {
  CallApproval,
  ErrorKind,
  HostCallRequest,
  LogEntry,
  LogLevel,
  OmittedFile,
  RunCompleted,
  RunError,
  RunFailed,
  RunFile,
  RunResult,
  RunStats,
  SessionEvent,
} from './session/events.js';
export { defineCapability, defineTool, type Approval, type Capability, type NoticeLevel, type ReturnedFile, type ToolContext, type ToolDefinition, type ToolNotice } from './tools/define.js';
export { ToolError, type ToolErrorKind } from './tools/tool-error.js';
export { DEFAULT_SEARCH_LIMIT, MAX_QUERY_CHARS, type SearchHit, type SearchOptions } from './tools/search.js';
export { MAX_CODE_CHARS, MAX_PREPARE_MS } from './prepare/prepare.js';
export type { TypeDiagnostic } from './types/check.js';
export type { ModuleInfo } from './modules/modules.js';
export { CodemodeError, describeValue, type CodemodeErrorCode } from './errors.js';
export { contentTypeOf } from './session/files.js';
