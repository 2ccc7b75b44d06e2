// The tools one executor offers, by full name (`add`, `fs.readFile`): built once from tools and
// capabilities, then asked on every host call. Input validation and the model-facing messages for a wrong
// name or a wrong input live here, so every path (run(), step mode, the MCP server) says the same thing.
import { z } from 'zod';
import { closest } from '../closest.js';
import { CodemodeError, describeValue } from '../errors.js';
import { defineCapability, defineTool, type Approval, type Capability, type ToolDefinition } from './define.js';

export interface RegisteredTool {
  /** `add` or `fs.readFile`. */
  readonly fullName: string;
  readonly namespace: string | undefined;
  readonly definition: ToolDefinition;
  readonly approval: Approval;
}

export type InputCheck = { ok: true; value: unknown } | { ok: false; message: string };

const MAX_LISTED_NAMES = 30;
/** Longer names (model code can call any) are cut in messages. */
const MAX_SHOWN_NAME = 100;

export class ToolRegistry {
  private readonly byName = new Map<string, RegisteredTool>();
  readonly capabilities: readonly Capability[];

  constructor(tools: readonly ToolDefinition[] = [], capabilities: readonly Capability[] = []) {
    for (const [name, value] of [['tools', tools], ['capabilities', capabilities]] as const) {
      if (!Array.isArray(value)) throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be an array, got ${describeValue(value)}`);
    }
    for (const tool of tools) this.add(defineTool(tool), undefined);
    this.capabilities = capabilities.map((capability) => defineCapability(capability));
    const seen = new Set<string>();
    for (const capability of this.capabilities) {
      if (this.byName.has(capability.name) || seen.has(capability.name)) {
        throw new CodemodeError('DUPLICATE_TOOL', `capability "${capability.name}" has the same name as another tool or capability`);
      }
      seen.add(capability.name);
      for (const tool of capability.tools) this.add(tool, capability.name);
    }
  }

  private add(tool: ToolDefinition, namespace: string | undefined): void {
    const fullName = namespace === undefined ? tool.name : `${namespace}.${tool.name}`;
    if (this.byName.has(fullName)) {
      throw new CodemodeError('DUPLICATE_TOOL', `two tools are named "${fullName}"`);
    }
    this.byName.set(fullName, { fullName, namespace, definition: tool, approval: tool.approval ?? 'auto' });
  }

  get(fullName: string): RegisteredTool | undefined {
    return this.byName.get(fullName);
  }

  /** Every full name, in registration order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  tools(): RegisteredTool[] {
    return [...this.byName.values()];
  }

  /** For a name that is not a tool: the nearest real name and what exists. The name is shown cut. */
  unknownToolMessage(fullName: string): string {
    const names = this.names();
    const shown = fullName.length <= MAX_SHOWN_NAME ? fullName : `${fullName.slice(0, MAX_SHOWN_NAME)}…`;
    if (names.length === 0) return `codemode.${shown} is not a tool: this host offers no tools.`;
    // closest() skips, without comparing, every name too far from this one in length to be its typo.
    const suggestion = closest(fullName, names);
    const listed = names.length <= MAX_LISTED_NAMES ? names : names.slice(0, MAX_LISTED_NAMES);
    const more = names.length - listed.length;
    return (
      `codemode.${shown} is not a tool.` +
      (suggestion ? ` Did you mean codemode.${suggestion}?` : '') +
      ` Available: ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`
    );
  }

  /** Validates a call's input against the tool's schema; the message names each bad field and what it expected. */
  checkInput(tool: RegisteredTool, input: unknown): InputCheck | Promise<InputCheck> {
    return check(tool.definition.input, input, (issues) => `invalid input for codemode.${tool.fullName}: ${formatIssues(issues)}`);
  }

  /** Validates a tool's return value against its output schema, when it has one. */
  checkOutput(tool: RegisteredTool, output: unknown): InputCheck | Promise<InputCheck> {
    if (!tool.definition.output) return { ok: true, value: output };
    return check(tool.definition.output, output, (issues) => `codemode.${tool.fullName} returned a value that does not match its output schema: ${formatIssues(issues)}`);
  }
}

type Issues = readonly z.core.$ZodIssue[];

/** Synchronous when the schema is (the common case, and the hot path of every call); async refinements fall back. */
function check(schema: z.ZodType, value: unknown, describe: (issues: Issues) => string): InputCheck | Promise<InputCheck> {
  const outcome = (parsed: z.ZodSafeParseResult<unknown>): InputCheck =>
    parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: describe(parsed.error.issues) };
  try {
    return outcome(schema.safeParse(value));
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value).then(outcome);
    throw error;
  }
}

/** "a: expected number, received string; b: required" — at most five issues. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.length === 0 ? 'input' : issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    const message = issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, ' (missing)');
    return `${path}: ${message}`;
  });
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
  return parts.join('; ');
}
