// Schema checks of a call's input and of a tool's output, with the model-facing message that names each
// bad field and what it expected. Synchronous when the schema is (the common case, and the hot path of
// every call); schemas with async refinements fall back to zod's async parse.
import { z } from 'zod';
import type { ToolDefinition } from '../tools/define.js';

export type Checked = { ok: true; value: unknown } | { ok: false; message: string };

/** Validates a call's input against the tool's schema. */
export function checkInput(tool: ToolDefinition, fullName: string, input: unknown): Checked | Promise<Checked> {
  return check(tool.input, input, fullName, 'input');
}

/** Validates a tool's return value against its output schema, when it has one. */
export function checkOutput(tool: ToolDefinition, fullName: string, output: unknown): Checked | Promise<Checked> {
  if (!tool.output) return { ok: true, value: output };
  return check(tool.output, output, fullName, 'output');
}

type Side = 'input' | 'output';

function check(schema: z.ZodType, value: unknown, fullName: string, side: Side): Checked | Promise<Checked> {
  try {
    return outcome(schema.safeParse(value), fullName, side);
  } catch (error) {
    if (error instanceof z.core.$ZodAsyncError) return schema.safeParseAsync(value).then((parsed) => outcome(parsed, fullName, side));
    throw error;
  }
}

function outcome(parsed: z.ZodSafeParseResult<unknown>, fullName: string, side: Side): Checked {
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = formatIssues(parsed.error.issues);
  return {
    ok: false,
    message: side === 'input' ? `invalid input for codemode.${fullName}: ${issues}` : `codemode.${fullName} returned a value that does not match its output schema: ${issues}`,
  };
}

/** "a: expected number, received string; b: required" — at most five issues. */
function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.path.length === 0 ? 'input' : issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    const message = issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, ' (missing)');
    return `${path}: ${message}`;
  });
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
  return parts.join('; ');
}
