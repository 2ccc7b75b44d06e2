// What `run`'s signature becomes: TypeScript types → JSON Schema (validated on the host) → declarations
// (printed by the one printer). Through the public API: save, then read declarations and call.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Executor } from '../../src/index.js';
import { FileStorage } from '../../src/storage/index.js';
import { typecheck } from '../types/typecheck.js';

const RICH = `
type Size = 'small' | 'large';
interface Tree { label: string; children: Tree[] }

async function run(input: {
  /** How big. */
  size: Size;
  counts: Record<string, number>;
  pair: [string, number];
  note: string | null;
  when?: Date;
  tree?: Tree;
  flag: boolean;
}): Promise<void> {
  void input;
}
`;

describe('workflow types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-workflow-types-'));
  const executor = new Executor({ storage: new FileStorage({ dir }), minProcesses: 0 });
  after(async () => {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('literal unions, records, tuples, null, optional fields and docs print as written; Date and recursion as unknown', async () => {
    await executor.workflows!.save({ name: 'rich', description: 'Takes many kinds of input.', code: RICH });
    const declarations = executor.declarations();
    assert.match(declarations, /\/\*\* How big\. \*\/\n {2}size: "small" \| "large";/);
    assert.match(declarations, /counts: \{ \[key: string\]: number \};/);
    assert.match(declarations, /pair: \[string, number\];/);
    assert.match(declarations, /note: null \| string;/);
    assert.match(declarations, /tree\?: \{ label: string; children: unknown\[\] \};/);
    assert.match(declarations, /when\?: unknown;/);
    assert.match(declarations, /flag: boolean;/);
    assert.match(declarations, /rich\(input: \w+\): Promise<unknown>;/);
    const use = 'await codemode.workflows.rich({ size: "small", counts: { a: 1 }, pair: ["x", 1], note: null, flag: true, tree: { label: "r", children: [] } });';
    assert.deepEqual(typecheck({ 'codemode.d.ts': declarations, 'main.ts': `export async function use() {\n${use}\n}` }), []);
  });

  test('the host validates calls against the same schema: a literal outside the union, a short tuple, a missing field', async () => {
    const call = (input: string) => executor.run(`return await codemode.workflows.rich(${input})`);
    const good = await call('{ size: "large", counts: {}, pair: ["x", 1], note: "n", flag: false }');
    assert.equal(good.ok, true, JSON.stringify(good));
    for (const [input, field] of [
      ['{ size: "medium", counts: {}, pair: ["x", 1], note: null, flag: false }', 'size'],
      ['{ size: "small", counts: {}, pair: ["x"], note: null, flag: false }', 'pair'],
      ['{ size: "small", counts: { a: "1" }, pair: ["x", 1], note: null, flag: false }', 'counts.a'],
      ['{ size: "small", counts: {}, pair: ["x", 1], flag: false }', 'note'],
    ] as const) {
      const result = await call(input);
      assert.equal(!result.ok && result.error.kind, 'invalid_input', `${input}: ${JSON.stringify(result)}`);
      assert.match(!result.ok ? result.error.message : '', new RegExp(`^invalid input for codemode\\.workflows\\.rich: ${field.replace('.', '\\.')}`));
    }
  });

  test('a workflow without a parameter is called with no argument; arrow functions in a const work too', async () => {
    await executor.workflows!.save({ name: 'answer', description: 'The answer.', code: 'export const run = async (): Promise<number> => 42;' });
    assert.match(executor.declarations(), /answer\(input\?: \{\}\): Promise<number>;/);
    const result = await executor.run('return await codemode.workflows.answer()');
    assert.deepEqual(result.ok && result.value, 42);
  });
});
