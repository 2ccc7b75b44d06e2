// The one place the capabilities import codemode's public API from: the package's own entries (`codemode`,
// `codemode/storage`), exactly what a user imports. Nothing here (or anywhere in capabilities/) may reach
// into src/ internals.
export { CodemodeError, ToolError, contentTypeOf, defineCapability, defineTool, describeValue } from '../../src/index.js';
export type { Capability, ToolContext, ToolDefinition } from '../../src/index.js';
export { Artifacts } from '../../src/storage/index.js';
export type { ArtifactInfo, Storage } from '../../src/storage/index.js';
