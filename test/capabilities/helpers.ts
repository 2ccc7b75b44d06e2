// Shared test helpers: call a capability's tool the way the host does (schema parse, run with a real
// AbortController, output check), assert refusals by kind, and build real temp directory trees.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolError, type Capability, type ToolDefinition } from '../../capabilities/shared/public-api.js';

export function toolOf(capability: Capability, name: string): ToolDefinition {
  const tool = capability.tools.find((t) => t.name === name);
  assert.ok(tool, `capability ${capability.name} has no tool ${name}`);
  return tool;
}

/** Parses input with the tool's schema (as `invalid_input`, like the core), runs it, checks its output. */
export async function call(capability: Capability, name: string, input: unknown, signal: AbortSignal = new AbortController().signal): Promise<unknown> {
  const tool = toolOf(capability, name);
  const parsed = tool.input.safeParse(input);
  if (!parsed.success) throw new ToolError('invalid_input', parsed.error.issues.map((i) => i.message).join('; '));
  const value = await tool.run(parsed.data, { signal, runId: 'test', callId: 1, name: `${capability.name}.${name}` });
  if (tool.output) {
    const checked = tool.output.safeParse(value);
    assert.ok(checked.success, `output of ${name} does not match its schema: ${JSON.stringify(value)?.slice(0, 200)}`);
  }
  return value;
}

/** Asserts the promise rejects with a ToolError of this kind, and returns it for further checks. */
export async function refused(promise: Promise<unknown>, kind: ToolError['kind']): Promise<ToolError> {
  try {
    const value = await promise;
    assert.fail(`expected a ${kind} error, got ${JSON.stringify(value)?.slice(0, 200)}`);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    assert.equal(error.kind, kind, `expected kind ${kind}, got ${error.kind}: ${error.message}`);
    return error;
  }
}

/** A fresh real temp directory (symlinks resolved, so expected paths compare equal), removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `codemode-${prefix}-`)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** All the text a model would see from an error. */
export function visible(error: ToolError): string {
  return `${error.message}\n${error.hint ?? ''}`;
}
