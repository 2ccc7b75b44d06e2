// One upstream server's tools as a codemode capability: `codemode.<server>.<tool>(input)`. Each MCP tool
// keeps its own JSON Schema for its declaration (the printer reads it as it is); its input is validated on
// the host with the same schema converted to zod, so a wrong call fails as `invalid_input` naming the field
// before it costs a round trip, and its structured output against its output schema (compiled on first
// use). Policy comes from the config first, then from the tool's own hints. What the server lists is
// bounded by UPSTREAM_CAPS before any of that work: too big or too deep a tool is left out, a long
// description is cut, and the list stops at a total size.
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineCapability, defineTool, type Approval, type Capability, type ToolAnnotations, type ToolDefinition } from '../tools/define.js';
import { UPSTREAM_CAPS } from '../limits/table.js';
import { words } from '../tools/search.js';
import type { JsonSchema } from '../types/json-schema.js';
import type { UpstreamPolicy } from './config.js';
import type { Connection } from './connection.js';
import { upstreamError } from './errors.js';
import type { Redactor } from './redact.js';
import { errorText, unwrapResult } from './results.js';

const MAX_TOOL_NAME_LENGTH = 128;
/** Characters of a refused tool name shown in a warning. */
const MAX_SHOWN_NAME = 64;
/** A namespace's one line in the execute description. */
const MAX_SUMMARY_CHARS = 120;

export interface ServerTools {
  readonly capability: Capability;
  /**
   * What codemode left out of or cut from the server's list, with why: a name it cannot address, what
   * UPSTREAM_CAPS cut (pages, tools, sizes, descriptions). Hidden tools are not listed.
   */
  readonly skipped: readonly string[];
}

/** The capability for `connection`'s current tools, under `policy`. */
export function serverCapability(connection: Connection, policy: ReadonlyMap<string, UpstreamPolicy>, redactor: Redactor): ServerTools {
  const server = connection.name;
  // One compiler per listing: ajv keeps what it compiled (and resolves `$id`s) for as long as it lives, so
  // a process-wide one would grow with every re-listing and could mix up two servers' schemas of one `$id`.
  const outputSchemas = new AjvJsonSchemaValidator();
  const tools: ToolDefinition[] = [];
  const skipped: string[] = [...connection.listCuts];
  const seen = new Set<string>();
  let listChars = 0;
  for (const [index, tool] of connection.tools.entries()) {
    const name = tool.name;
    const shown = JSON.stringify(typeof name === 'string' && name.length > MAX_SHOWN_NAME ? `${name.slice(0, MAX_SHOWN_NAME)}…` : name);
    if (typeof name !== 'string' || name === '' || name.includes('.') || name.length > MAX_TOOL_NAME_LENGTH || seen.has(name)) {
      skipped.push(`${shown}: not a name codemode can address (empty, with ".", too long or repeated)`);
      continue;
    }
    seen.add(name);
    const decided = policy.get(`${server}.${name}`) ?? policy.get(server) ?? approvalFromHints(tool.annotations);
    if (decided === 'hide') continue;
    const size = schemaSize(tool);
    if (typeof size === 'string') {
      skipped.push(`${shown}: ${size}`);
      continue;
    }
    const description = describe(tool);
    listChars += size + Math.min(description.length, UPSTREAM_CAPS.maxDescriptionChars);
    if (listChars > UPSTREAM_CAPS.maxListChars) {
      const rest = connection.tools.length - index - 1;
      skipped.push(`${shown}${rest > 0 ? ` and the ${rest} tools after it` : ''}: the server's tools pass ${UPSTREAM_CAPS.maxListChars} characters of schemas and descriptions in all`);
      break;
    }
    if (description.length > UPSTREAM_CAPS.maxDescriptionChars) skipped.push(`${shown}: description cut to ${UPSTREAM_CAPS.maxDescriptionChars} of its ${description.length} characters`);
    tools.push(upstreamTool(connection, tool, decided, redactor, cut(description, UPSTREAM_CAPS.maxDescriptionChars), outputSchemas));
  }
  return { capability: defineCapability({ name: server, description: summary(connection, redactor), tools }), skipped };
}

/** A tool that says it destroys (and not that it only reads) asks first; every other tool runs. */
export function approvalFromHints(annotations: Tool['annotations']): Approval {
  return annotations?.destructiveHint === true && annotations.readOnlyHint !== true ? 'ask' : 'auto';
}

/**
 * The characters of a tool's schemas as JSON, or why the tool is left out: nested deeper than
 * maxSchemaDepth (checked first, with bounded recursion, so the size check never recurses deeper) or
 * bigger than maxSchemaChars.
 */
function schemaSize(tool: Tool): number | string {
  const schemas = { input: tool.inputSchema, output: tool.outputSchema };
  // The two schemas sit one level down in `schemas`.
  if (deeperThan(schemas, UPSTREAM_CAPS.maxSchemaDepth + 1)) return `schemas nested deeper than ${UPSTREAM_CAPS.maxSchemaDepth} levels`;
  const size = JSON.stringify(schemas).length;
  return size > UPSTREAM_CAPS.maxSchemaChars ? `schemas of ${size} characters, more than ${UPSTREAM_CAPS.maxSchemaChars}` : size;
}

/** True when objects and arrays nest more than `limit` levels in `value` (a JSON value: no cycles). */
function deeperThan(value: unknown, limit: number, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= limit) return true;
  for (const child of Object.values(value)) if (deeperThan(child, limit, depth + 1)) return true;
  return false;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function upstreamTool(connection: Connection, tool: Tool, approval: Approval, redactor: Redactor, description: string, outputSchemas: AjvJsonSchemaValidator): ToolDefinition {
  const server = connection.name;
  const hasOutputSchema = tool.outputSchema !== undefined;
  const inputSchema = redactor.value(tool.inputSchema) as JsonSchema;
  const outputSchema = hasOutputSchema ? (redactor.value(tool.outputSchema) as JsonSchema) : undefined;
  let validateOutput: JsonSchemaValidator<unknown> | undefined;
  return defineTool({
    name: tool.name,
    description: redactor.text(description),
    input: inputValidator(tool.inputSchema),
    approval,
    ...(tool.annotations ? { annotations: hints(tool.annotations) } : {}),
    jsonSchema: { input: inputSchema, output: outputSchema },
    run: async (input, context) => {
      const result = await connection.call(tool.name, input, context);
      if (result.isError === true) throw upstreamError.tool(server, tool.name, redactor.text(errorText(result)));
      if (tool.outputSchema !== undefined) {
        validateOutput ??= compileOutputSchema(tool, outputSchemas);
        checkStructured(server, tool.name, result, validateOutput, redactor);
      }
      return redactor.value(unwrapResult(result, hasOutputSchema));
    },
  });
}

/** The output schema's validator; a schema ajv cannot compile fails each call as a protocol error. */
function compileOutputSchema(tool: Tool, outputSchemas: AjvJsonSchemaValidator): JsonSchemaValidator<unknown> {
  try {
    return outputSchemas.getValidator(tool.outputSchema as JsonSchemaType);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return () => ({ valid: false, data: undefined, errorMessage: `its output schema cannot be used (${why.slice(0, 300)})` });
  }
}

/** A tool with an output schema must answer structured content that matches it (as the MCP spec says). */
function checkStructured(server: string, name: string, result: CallToolResult, validate: JsonSchemaValidator<unknown>, redactor: Redactor): void {
  if (result.structuredContent === undefined) throw upstreamError.protocol(server, name, 'the tool has an output schema but returned no structured content');
  const checked = validate(result.structuredContent);
  if (!checked.valid) throw upstreamError.protocol(server, name, redactor.text(`structured content does not match the tool's output schema: ${checked.errorMessage ?? 'invalid'}`));
}

/**
 * The description, led by the title when the title says more than the name (`get-env` titled "Print
 * Environment Tool" keeps it; `create_entities` titled "Create Entities" does not: it would only cost tokens).
 */
function describe(tool: Tool): string {
  const description = (tool.description ?? '').trim();
  const title = (tool.title ?? tool.annotations?.title ?? '').trim();
  if (title === '') return description;
  const nameWords = new Set(words(tool.name));
  const adds = words(title).some((word) => word !== 'tool' && !nameWords.has(word));
  if (!adds || description.toLowerCase().startsWith(title.toLowerCase())) return description;
  return description === '' ? title : `${title}. ${description}`;
}

function hints(annotations: NonNullable<Tool['annotations']>): ToolAnnotations {
  const result: { -readonly [K in keyof ToolAnnotations]: boolean } = {};
  for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
    if (typeof annotations[key] === 'boolean') result[key] = annotations[key];
  }
  return result;
}

/**
 * zod from the tool's JSON Schema, for the host's check of each call. A schema zod cannot read (a remote
 * `$ref`, an exotic keyword) is not a reason to refuse the tool: any object passes, and the server judges.
 */
function inputValidator(schema: Tool['inputSchema']): z.ZodType {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

/** One line about a server: its title, when it says more than its name (instructions are pages, not a line). */
function summary(connection: Connection, redactor: Redactor): string {
  const title = connection.info.title?.trim() ?? '';
  const nameWords = new Set(words(connection.name));
  if (title === '' || words(title).every((word) => nameWords.has(word) || word === 'server')) return '';
  return redactor.text(title.length > MAX_SUMMARY_CHARS ? `${title.slice(0, MAX_SUMMARY_CHARS - 1)}…` : title);
}
