// The one place the capabilities import codemode's public tool API from. Capabilities are written only
// against what a user of the package can import; nothing here may reach into src/ internals.
export { defineTool, defineCapability } from '../../src/tools/define.js';
export type { Capability, ToolContext, ToolDefinition } from '../../src/tools/define.js';
export { ToolError } from '../../src/tools/tool-error.js';
export { CodemodeError } from '../../src/errors.js';
