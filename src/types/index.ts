// The declarations printer's public surface: what is exported here is what the rest of codemode (the
// executor's `declarations()`, the MCP server, tool search) builds on. Importing it never loads the TypeScript
// compiler, a sandbox or the MCP SDK.
export { printDeclarations } from './declarations.js';
export type { NamespaceEntry, PrintOptions, ToolEntry } from './declarations.js';
export type { JsonSchema, JsonSchemaObject } from './json-schema.js';
