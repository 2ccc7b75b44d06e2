// Turns defined tools and capabilities into printer entries: zod → JSON Schema, the one intermediate form
// every tool passes through (upstream MCP tools arrive as JSON Schema already). Inputs are read on zod's
// input side, since that is what the model writes (fields with defaults are optional there); outputs on the
// output side, since that is what the model gets back.
import { z } from 'zod';
import { CodemodeError, describeValue } from '../errors.js';
import type { Capability, ToolDefinition } from './define.js';
import type { NamespaceEntry, ToolEntry } from '../types/declarations.js';
import type { JsonSchema } from '../types/json-schema.js';

export interface ToolCatalog {
  /** Top-level tools first, in the order given, then each capability's tools under its name. */
  readonly entries: readonly ToolEntry[];
  /** One per capability that has a description. */
  readonly namespaces: readonly NamespaceEntry[];
}

export interface CatalogSource {
  readonly tools?: readonly ToolDefinition[] | undefined;
  readonly capabilities?: readonly Capability[] | undefined;
}

/** The printer's view of `tools` (as `codemode.<name>`) and `capabilities` (as `codemode.<cap>.<name>`). */
export function catalogFromTools(source: CatalogSource): ToolCatalog {
  const tools: readonly ToolDefinition[] = source?.tools ?? [];
  const capabilities: readonly Capability[] = source?.capabilities ?? [];
  for (const [name, value] of [['tools', tools], ['capabilities', capabilities]] as const) {
    if (!Array.isArray(value)) throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be an array, got ${describeValue(value)}`);
  }
  const entries = tools.map((tool) => toolEntry(tool, []));
  const namespaces: NamespaceEntry[] = [];
  for (const capability of capabilities) {
    entries.push(...capability.tools.map((tool) => toolEntry(tool, [capability.name])));
    if (capability.description) namespaces.push({ path: [capability.name], description: capability.description });
  }
  return { entries, namespaces };
}

/** One tool's entry, placed under `namespace` (`[]` for top level). */
export function toolEntry(tool: ToolDefinition, namespace: readonly string[]): ToolEntry {
  const path = [...namespace, tool.name];
  const annotations = tool.annotations === undefined ? {} : { annotations: tool.annotations };
  if (tool.jsonSchema) return { path, description: tool.description, inputSchema: tool.jsonSchema.input, outputSchema: tool.jsonSchema.output, ...annotations };
  const inputSchema = toJsonSchema(tool.input, 'input', path);
  const outputSchema = tool.output === undefined ? undefined : toJsonSchema(tool.output, 'output', path);
  return { path, description: tool.description, inputSchema, outputSchema, ...annotations };
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', path: readonly string[]): JsonSchema {
  try {
    // `unrepresentable: 'any'`: a `z.date()` or `z.bigint()` field prints as `unknown` instead of failing the
    // whole catalog; the host still validates it with zod.
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CodemodeError('INVALID_TOOL', `tool "${path.join('.')}": cannot express the ${io} schema as JSON Schema: ${reason}`);
  }
}
