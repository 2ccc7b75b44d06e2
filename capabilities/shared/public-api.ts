// The one place the capabilities import codemode's public tool API from: the package's own entry, exactly
// what a user imports. Nothing here (or anywhere in capabilities/) may reach into src/ internals.
export { CodemodeError, ToolError, defineCapability, defineTool, describeValue } from '../../src/index.js';
export type { Capability, ToolContext, ToolDefinition } from '../../src/index.js';
