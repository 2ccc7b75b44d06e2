// One upstream server's tools as a codemode capability: `codemode.<server>.<tool>(input)`. Each MCP tool
// keeps its own JSON Schema for its declaration (the printer reads it as it is); its input is validated on
// the host with the same schema converted to zod, so a wrong call fails as `invalid_input` naming the field
// before it costs a round trip. Policy comes from the config first, then from the tool's own hints.
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineCapability, defineTool, type Approval, type Capability, type ToolAnnotations, type ToolDefinition } from '../tools/define.js';
import { words } from '../tools/search.js';
import type { JsonSchema } from '../types/json-schema.js';
import type { UpstreamPolicy } from './config.js';
import type { Connection } from './connection.js';
import { upstreamError } from './errors.js';
import type { Redactor } from './redact.js';
import { errorText, unwrapResult } from './results.js';

const MAX_TOOL_NAME_LENGTH = 128;
/** A namespace's one line in the execute description. */
const MAX_SUMMARY_CHARS = 120;

export interface ServerTools {
  readonly capability: Capability;
  /** Upstream tools left out, with why (a name codemode cannot address). Hidden tools are not listed. */
  readonly skipped: readonly string[];
}

/** The capability for `connection`'s current tools, under `policy`. */
export function serverCapability(connection: Connection, policy: ReadonlyMap<string, UpstreamPolicy>, redactor: Redactor): ServerTools {
  const server = connection.name;
  const tools: ToolDefinition[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const tool of connection.tools) {
    const name = tool.name;
    if (typeof name !== 'string' || name === '' || name.includes('.') || name.length > MAX_TOOL_NAME_LENGTH || seen.has(name)) {
      skipped.push(`${JSON.stringify(name)}: not a name codemode can address (empty, with ".", too long or repeated)`);
      continue;
    }
    seen.add(name);
    const decided = policy.get(`${server}.${name}`) ?? policy.get(server) ?? approvalFromHints(tool.annotations);
    if (decided === 'hide') continue;
    tools.push(upstreamTool(connection, tool, decided, redactor));
  }
  return { capability: defineCapability({ name: server, description: summary(connection, redactor), tools }), skipped };
}

/** A tool that says it destroys (and not that it only reads) asks first; every other tool runs. */
export function approvalFromHints(annotations: Tool['annotations']): Approval {
  return annotations?.destructiveHint === true && annotations.readOnlyHint !== true ? 'ask' : 'auto';
}

function upstreamTool(connection: Connection, tool: Tool, approval: Approval, redactor: Redactor): ToolDefinition {
  const server = connection.name;
  const hasOutputSchema = tool.outputSchema !== undefined;
  const inputSchema = redactor.value(tool.inputSchema) as JsonSchema;
  const outputSchema = hasOutputSchema ? (redactor.value(tool.outputSchema) as JsonSchema) : undefined;
  return defineTool({
    name: tool.name,
    description: redactor.text(describe(tool)),
    input: inputValidator(tool.inputSchema),
    approval,
    ...(tool.annotations ? { annotations: hints(tool.annotations) } : {}),
    jsonSchema: { input: inputSchema, output: outputSchema },
    run: async (input, context) => {
      const result = await connection.call(tool.name, input, context);
      if (result.isError === true) throw upstreamError.tool(server, tool.name, redactor.text(errorText(result)));
      return redactor.value(unwrapResult(result, hasOutputSchema));
    },
  });
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
