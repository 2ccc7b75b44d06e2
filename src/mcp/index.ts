// codemode/mcp: codemode as an MCP server. Everything exported here is public API; nothing else in
// src/mcp is. Importing this entry loads the MCP SDK, which the main `codemode` entry never does.
export { CodeModeServer } from './server.js';
export {
  DEFAULT_INLINE_DECLARATION_CHARS,
  DEFAULT_MAX_LOG_NOTIFICATIONS,
  DEFAULT_MAX_RESULT_CHARS,
  type CodeModeServerOptions,
  type RunRecord,
} from './options.js';
export {
  DEFAULT_HTTP_HOST,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_SESSION_IDLE_MS,
  HEALTH_PATH,
  MCP_PATH,
  type HttpServeOptions,
  type HttpServer,
} from './http.js';
export { NOTICE_CAPS, UPSTREAM_CAPS } from '../limits/table.js';
export type { ExecuteOutput } from '../present/format.js';
export type { ToolSource } from './options.js';
export {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_RECONNECT_DELAY_MS,
  DEFAULT_RECONNECT_DELAY_MS,
  McpToolSource,
  type McpToolSourceOptions,
  type ServerStatus,
} from '../upstream/source.js';
export type { HttpServerConfig, McpServersConfig, ServerConfig, Startup, StdioServerConfig, UpstreamPolicy } from '../upstream/config.js';
