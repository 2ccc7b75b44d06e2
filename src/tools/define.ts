// The public shape of a host tool and of a capability (a named group of tools). Importing this module
// must stay cheap: it never starts a sandbox and never loads the MCP SDK or the TypeScript compiler.
import type { z } from 'zod';
import { CodemodeError, describeValue } from '../errors.js';
import type { Storage } from '../storage/storage.js';
import type { ToolAnnotations } from '../types/declarations.js';
import type { JsonSchema } from '../types/json-schema.js';

export type { ToolAnnotations };

/** How a call to a tool is decided before it runs. */
export type Approval = 'auto' | 'ask' | 'deny';

/** What a tool's `run` receives besides its input. */
export interface ToolContext {
  /**
   * Aborted when the run ends (completed, failed, timed out or cancelled) while the tool is still running.
   * Every call of one run gets the same signal, so a tool can key per-run state on it (a WeakMap).
   */
  readonly signal: AbortSignal;
  /** The run that made the call. */
  readonly runId: string;
  /** Unique within the run. */
  readonly callId: number;
  /** The full name the model called, e.g. `fs.readFile`. */
  readonly name: string;
  /**
   * Reports how the call is going to whoever started the run (the MCP server passes it on to its client as
   * `notifications/progress` and `notifications/message`). Present when someone listens (`onNotice`); it
   * never throws, and what the listener does with a notice (bounds, filters) is up to it.
   */
  readonly notify?: ((notice: ToolNotice) => void) | undefined;
  /** The `storage` of the executor (or workspace) the run belongs to; undefined without one. */
  readonly storage?: Storage | undefined;
  /**
   * Registers files the run returns with its result (`result.files`): `collect` is called once, when the run
   * ends, and must not throw or wait. A tool that keeps files per run (an in-memory mount) registers once per
   * run. Present on every call the executor makes.
   */
  readonly returnFiles?: ((collect: () => Iterable<ReturnedFile>) => void) | undefined;
}

/** A file a tool hands back with the run (`context.returnFiles`). */
export interface ReturnedFile {
  /** The path the model knows it by, e.g. `/output/chart.svg`. */
  readonly path: string;
  readonly bytes: Uint8Array;
  /** Default: from the extension of `path` (`application/octet-stream` when unknown). */
  readonly contentType?: string | undefined;
}

/** MCP's log levels, least severe first. */
export type NoticeLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';

/** What a running tool may report besides its result: progress, or a log line (both as MCP has them). */
export type ToolNotice =
  | { readonly type: 'progress'; readonly progress: number; readonly total?: number | undefined; readonly message?: string | undefined }
  | { readonly type: 'log'; readonly level: NoticeLevel; readonly logger?: string | undefined; readonly data: unknown };

export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** The name inside a namespace; any text without `.`. In the isolate: `codemode.<name>(input)`. */
  readonly name: string;
  /** What the model reads about this tool: one or two short sentences. */
  readonly description: string;
  /** Validated on the host before `run` sees it; a mismatch rejects in the isolate as `invalid_input`. */
  readonly input: I;
  /** When given, the tool's return value is checked against it and the declaration uses it. */
  readonly output?: O;
  /** Default `'auto'`. `'ask'` calls the executor's `approve` callback; `'deny'` always refuses. */
  readonly approval?: Approval;
  /** Shown in the tool's JSDoc. */
  readonly annotations?: ToolAnnotations;
  /**
   * Calling it twice with the same input does no more than calling it once. A durable run whose host died
   * while this tool ran calls it again on resume; a call to any other tool gets a `host` error there
   * ("its outcome is unknown"). Default false.
   */
  readonly idempotent?: boolean;
  /**
   * For a tool that comes with JSON Schema (an upstream MCP tool): the schemas its declaration is printed
   * from, as they are, instead of converting `input` and `output` from zod. `input` still validates calls.
   */
  readonly jsonSchema?: { readonly input: JsonSchema; readonly output?: JsonSchema | undefined };
  /** With an `output` schema, what it returns must be what that schema accepts (checked by TypeScript, then at run time). */
  run(input: z.output<I>, context: ToolContext): z.input<O> | Promise<z.input<O>>;
}

/** A named group of tools: `codemode.<capability>.<tool>(input)`. */
export interface Capability {
  readonly name: string;
  readonly description?: string;
  readonly tools: readonly ToolDefinition[];
}

const MAX_NAME_LENGTH = 128;

/** Defines a tool; checks its shape now so a mistake fails at startup, not inside a model's run. */
export function defineTool<I extends z.ZodType, O extends z.ZodType = z.ZodType>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  checkName('tool', definition?.name);
  const where = `tool "${definition.name}"`;
  if (typeof definition.description !== 'string') {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected \`description\` to be a string, got ${describeValue(definition.description)}`);
  }
  checkSchema(where, 'input', definition.input);
  if (definition.output !== undefined) checkSchema(where, 'output', definition.output);
  if (definition.approval !== undefined && !['auto', 'ask', 'deny'].includes(definition.approval)) {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected \`approval\` to be 'auto', 'ask' or 'deny', got ${describeValue(definition.approval)}`);
  }
  if (definition.idempotent !== undefined && typeof definition.idempotent !== 'boolean') {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected \`idempotent\` to be a boolean, got ${describeValue(definition.idempotent)}`);
  }
  if (typeof definition.run !== 'function') {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected \`run\` to be a function, got ${describeValue(definition.run)}`);
  }
  return Object.freeze({ ...definition });
}

/** Defines a capability: a namespace of tools, e.g. `fs` for `codemode.fs.readFile`. */
export function defineCapability(definition: Capability): Capability {
  checkName('capability', definition?.name);
  if (!Array.isArray(definition.tools)) {
    throw new CodemodeError('INVALID_TOOL', `capability "${definition.name}": expected \`tools\` to be an array, got ${describeValue(definition.tools)}`);
  }
  for (const tool of definition.tools) defineTool(tool);
  return Object.freeze({ name: definition.name, description: definition.description, tools: Object.freeze([...definition.tools]) });
}

function checkName(what: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH || name.includes('.')) {
    throw new CodemodeError(
      'INVALID_TOOL',
      `expected a ${what} \`name\` of 1 to ${MAX_NAME_LENGTH} characters without ".", got ${describeValue(name)}`,
    );
  }
}

/** A zod 4 schema (from `zod` ≥ 4, or `zod/v4` of zod 3.25) carries `_zod`; a zod 3 one has only `_def`. */
function checkSchema(where: string, field: 'input' | 'output', value: unknown): void {
  const isObject = typeof value === 'object' && value !== null;
  if (isObject && '_zod' in value && typeof (value as z.ZodType).safeParse === 'function') return;
  if (isObject && '_def' in value && typeof (value as { safeParse?: unknown }).safeParse === 'function') {
    throw new CodemodeError(
      'INVALID_TOOL',
      `${where}: \`${field}\` is a zod 3 schema; codemode needs zod 4 schemas: \`import { z } from 'zod'\` with zod 4, or \`import { z } from 'zod/v4'\` with zod 3.25 or later`,
    );
  }
  throw new CodemodeError('INVALID_TOOL', `${where}: expected \`${field}\` to be a zod schema, got ${describeValue(value)}`);
}
