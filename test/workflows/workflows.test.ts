import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineTool, Executor } from '../../src/index.js';
import { FileStorage } from '../../src/storage/index.js';
import { double } from '../fixtures.js';
import { typecheck } from '../types/typecheck.js';

const add = defineTool({ name: 'add', description: 'Adds two numbers.', input: z.object({ a: z.number(), b: z.number() }), output: z.number(), run: ({ a, b }) => a + b });

const SUM = `/** What to add up. */
interface SumInput {
  values: number[];
  /** Shown with the total. */
  label?: string;
}

async function run(input: SumInput): Promise<{ total: number; label: string }> {
  let total = 0;
  for (const value of input.values) total = await codemode.add({ a: total, b: value });
  return { total, label: input.label ?? 'sum' };
}
`;

/** Diagnostics of `body` (inside an async function) against `declarations`, as a user's tsc sees them. */
function usage(declarations: string, body: string): string[] {
  return typecheck({ 'codemode.d.ts': declarations, 'main.ts': `export async function use() {\n${body}\n}` });
}

function refusedWith(code: string, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CodemodeError, `expected a CodemodeError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

describe('workflows of an executor with a storage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-workflows-'));
  const executor = new Executor({ tools: [add, double], storage: new FileStorage({ dir }), minProcesses: 1 });
  after(async () => {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a saved workflow is typed in declarations from its run signature, and the declarations compile', async () => {
    const saved = await executor.workflows!.save({ name: 'sum', description: 'Adds up numbers with codemode.add.', code: SUM });
    assert.equal(saved.name, 'sum');
    assert.equal(typeof saved.version, 'number');
    const declarations = executor.declarations();
    assert.match(declarations, /\/\*\* Adds up numbers with codemode\.add\. \*\/\n {4}sum\(input: \w+\): Promise<[^\n]+>;/);
    assert.match(declarations, /\/\*\* Shown with the total\. \*\/\n {2}label\?: string;/);
    assert.match(declarations, /save\(input: .+\): Promise<.+>;/);
    assert.deepEqual(usage(declarations, 'const r = await codemode.workflows.sum({ values: [1], label: "x" }); const n: number = r.total; const l: string = r.label;'), []);
    assert.match(usage(declarations, "await codemode.workflows.sum({ values: ['1'] });").join('\n'), /Type 'string' is not assignable to type 'number'/);
  });

  test('runs reuse one tool set until the tools or the workflows change', async () => {
    const library = executor.workflows!;
    const first = library.current();
    assert.equal(library.current(), first, 'nothing changed: the same set, its declarations printed once');
    await library.save({ name: 'tmpOne', description: 'A workflow that is saved and deleted again.', code: 'async function run() { return 1; }' });
    const afterSave = library.current();
    assert.notEqual(afterSave, first);
    assert.ok(afterSave.get('workflows.tmpOne'));
    const tmpOne = afterSave.get('workflows.tmpOne')!.definition;
    await library.save({ name: 'tmpTwo', description: 'Saved beside tmpOne, deleted again.', code: 'async function run() { return 2; }' });
    assert.equal(library.current().get('workflows.tmpOne')!.definition, tmpOne, 'saving one workflow does not make the others’ tools again');
    await library.delete({ name: 'tmpTwo' });
    executor.tools.add(defineTool({ name: 'extra', description: 'Added and removed again.', input: z.object({}), run: () => 1 }));
    const afterTool = library.current();
    assert.notEqual(afterTool, afterSave);
    assert.ok(afterTool.get('extra'));
    executor.tools.remove('extra');
    await library.delete({ name: 'tmpOne' });
    assert.equal(library.current().get('workflows.tmpOne'), undefined);
  });

  test('search finds save, list, get and delete only for a query about workflows', () => {
    assert.equal(executor.search('list').some((hit) => hit.name === 'workflows.list'), false);
    assert.equal(executor.search('list workflows')[0]?.name, 'workflows.list');
    assert.equal(executor.search('save a workflow')[0]?.name, 'workflows.save');
  });

  test('search finds a workflow by its name and description, with its declaration', () => {
    const [hit] = executor.search('sum');
    assert.equal(hit?.name, 'workflows.sum');
    assert.match(hit!.declaration, /sum\(input: .+\): Promise<.+>;/);
  });

  test('check() types calls to a workflow', async () => {
    assert.deepEqual(await executor.check('const r = await codemode.workflows.sum({ values: [1, 2] }); return r.total + 1;'), []);
    const [diagnostic] = await executor.check("return await codemode.workflows.sum({ values: ['1'] })");
    assert.equal(diagnostic?.code, 2322);
    assert.equal(diagnostic?.line, 1);
  });

  test('another run calls the workflow: it runs in the run, its host calls count as the run’s', async () => {
    const result = await executor.run('return await codemode.workflows.sum({ values: [1, 2, 3], label: "six" })');
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.value, { total: 6, label: 'six' });
    // One call fetches the workflow, three are its own calls to add.
    assert.equal(result.stats.hostCalls, 4);
  });

  test('the input is validated against the schema from run’s parameter type, naming the field', async () => {
    const result = await executor.run("return await codemode.workflows.sum({ values: [1, 'two'] })");
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'invalid_input');
    assert.equal(!result.ok && result.error.message, 'invalid input for codemode.workflows.sum: values[1]: expected number, received string');
    const extra = await executor.run('return await codemode.workflows.sum({ values: [], colour: "red" })');
    assert.equal(!extra.ok && extra.error.kind, 'invalid_input');
  });

  test('model code saves a workflow that calls another workflow; the next run calls it', async () => {
    const code = 'async function run(input: { values: number[] }): Promise<number> {\\n  const { total } = await codemode.workflows.sum(input);\\n  return await codemode.double({ n: total });\\n}';
    const saved = await executor.run(`return await codemode.workflows.save({ name: 'doubledSum', description: 'Twice the sum.', code: '${code}' })`);
    assert.ok(saved.ok, JSON.stringify(saved));
    assert.match(executor.declarations(), /doubledSum\(input: [^\n]+\): Promise<number>;/);
    const result = await executor.run('return await codemode.workflows.doubledSum({ values: [1, 2] })');
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value, 6);
    const listed = await executor.run('return (await codemode.workflows.list()).map((w) => w.name)');
    assert.deepEqual(listed.ok && listed.value, ['doubledSum', 'sum']);
  });

  test('code that does not type-check is refused with diagnostics at lines and columns of the workflow’s code', async () => {
    const code = 'async function run(input: { n: number }) {\n  const text: string = input.n;\n  return codemode.nope(text);\n}';
    await assert.rejects(executor.workflows!.save({ name: 'broken', description: 'Does not compile.', code }), (error: unknown) => {
      refusedWith('WORKFLOW_INVALID', /^workflow "broken" does not compile, so it was not saved:\nline 2:9 TS2322: Type 'number' is not assignable to type 'string'\.\nline 3:19 TS2339: Property 'nope' does not exist/)(error);
      const { diagnostics } = error as CodemodeError & { diagnostics: { line: number; column: number; code: number }[] };
      assert.deepEqual(diagnostics.map((d) => [d.line, d.column, d.code]), [[2, 9, 2322], [3, 19, 2339]]);
      return true;
    });
    assert.equal(await executor.workflows!.get({ name: 'broken' }), undefined);
    const fromModel = await executor.run(`return await codemode.workflows.save({ name: 'broken', description: 'x', code: ${JSON.stringify(code)} })`);
    assert.equal(!fromModel.ok && fromModel.error.kind, 'invalid_input');
    assert.match(!fromModel.ok ? fromModel.error.message : '', /line 2:9 TS2322/);
  });

  test('code without run, with an import or with a syntax error is refused', async () => {
    const cases: [string, RegExp][] = [
      ['async function main() { return 1 }', /line 1:1 TS1005: a workflow defines `async function run\(input\) \{ \.\.\. \}` at top level/],
      ["import fs from 'fs';\nasync function run() { return 1 }", /line 1:1 TS1005: import is not available in a workflow/],
      ['async function run( { return 1 }', /line 1:\d+ TS1005: /],
    ];
    for (const [code, message] of cases) {
      await assert.rejects(executor.workflows!.save({ name: 'refused', description: 'x', code }), refusedWith('WORKFLOW_INVALID', message));
    }
  });

  test('names that collide with save, list, get and delete, and names that are not identifiers, are refused', async () => {
    for (const name of ['save', 'list', 'get', 'delete']) {
      await assert.rejects(executor.workflows!.save({ name, description: 'x', code: 'async function run() {}' }), refusedWith('INVALID_NAME', new RegExp(`taken by codemode\\.workflows\\.${name}`)));
    }
    await assert.rejects(executor.workflows!.save({ name: '../etc', description: 'x', code: 'async function run() {}' }), refusedWith('INVALID_NAME'));
    const result = await executor.run("return await codemode.workflows.save({ name: 'delete', description: 'x', code: 'async function run() {}' })");
    assert.equal(!result.ok && result.error.kind, 'invalid_input');
    assert.match(!result.ok ? result.error.message : '', /taken by codemode\.workflows\.delete/);
  });

  test('model code saving a description past its cap is refused before any compiling', async () => {
    const result = await executor.run("return await codemode.workflows.save({ name: 'wordy', description: 'x'.repeat(1001), code: 'async function run() {}' })");
    assert.equal(!result.ok && result.error.kind, 'invalid_input');
    assert.match(!result.ok ? result.error.message : '', /description/);
  });

  test('an error thrown inside a workflow points into the workflow’s own code; the run’s position is the call', async () => {
    const code = 'type Unused = string;\n\nasync function run(input: { n: number }) {\n  if (input.n > 0) throw new RangeError(`too big: ${input.n}`);\n  return input.n;\n}';
    await executor.workflows!.save({ name: 'thrower', description: 'Throws for positive n.', code });
    const result = await executor.run('const x = 1;\nreturn await codemode.workflows.thrower({ n: 5 });');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.kind, 'runtime');
    assert.equal(result.error.message, 'too big: 5');
    assert.equal(result.error.line, 2);
    assert.match(result.error.stack ?? '', /at run \(workflow:thrower:4:26\)/);
  });

  test('a JavaScript workflow without annotations takes any object and returns what its body infers', async () => {
    await executor.workflows!.save({ name: 'loose', description: 'Counts keys.', code: 'async function run(input) {\n  return { count: Object.keys(input).length };\n}' });
    assert.match(executor.declarations(), /\[key: string\]: unknown\b/);
    assert.deepEqual(usage(executor.declarations(), 'const n: number = (await codemode.workflows.loose({ a: 1, b: "x" })).count;'), []);
    const result = await executor.run('return await codemode.workflows.loose({ a: 1, b: 2 })');
    assert.deepEqual(result.ok && result.value, { count: 2 });
  });

  test('get returns the code, delete removes the workflow for the next run, list follows', async () => {
    const record = await executor.workflows!.get({ name: 'sum' });
    assert.equal(record?.code, SUM);
    const deleted = await executor.run("return await codemode.workflows.delete({ name: 'loose' })");
    assert.deepEqual(deleted.ok && deleted.value, { deleted: true });
    assert.doesNotMatch(executor.declarations(), /loose/);
    const missing = await executor.run("return await codemode.workflows.get({ name: 'loose' })");
    assert.equal(!missing.ok && missing.error.message, 'there is no workflow named "loose"');
    assert.equal((await executor.workflows!.list()).some((w) => w.name === 'loose'), false);
  });

  test('a workflow saved into the store by someone else is picked up by the next run', async () => {
    const other = new Executor({ tools: [add, double], storage: new FileStorage({ dir }), minProcesses: 0 });
    try {
      await other.workflows!.save({ name: 'triple', description: 'Three times n.', code: 'async function run(input: { n: number }): Promise<number> { return input.n * 3 }' });
    } finally {
      await other.close();
    }
    const result = await executor.run('return await codemode.workflows.triple({ n: 4 })');
    assert.deepEqual(result.ok && result.value, 12);
    assert.match(executor.declarations(), /triple\(input: [^\n]+\): Promise<number>;/);
  });
});

describe('reading the store before each run', () => {
  test('lists the workflows only when the store’s revision moved (a save or delete by any host)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemode-revision-'));
    const storage = new FileStorage({ dir });
    let listings = 0;
    // The real store, with its listings counted.
    const list = storage.list.bind(storage);
    storage.list = (namespace) => {
      listings++;
      return list(namespace);
    };
    const executor = new Executor({ tools: [add], storage, minProcesses: 1 });
    const other = new FileStorage({ dir });
    try {
      await executor.run('return 1');
      const first = listings;
      await executor.run('return 1');
      await executor.run('return 2');
      assert.equal(listings, first, 'nothing changed: no listing');
      const saver = new Executor({ tools: [add], storage: other, minProcesses: 0 });
      await saver.workflows!.save({ name: 'inc', description: 'Adds one.', code: 'async function run(input: { n: number }) { return input.n + 1 }' });
      await saver.close();
      const result = await executor.run('return await codemode.workflows.inc({ n: 1 })');
      assert.deepEqual(result.ok && result.value, 2);
      assert.equal(listings, first + 1, 'a save elsewhere: one listing');
    } finally {
      await executor.close();
      await Promise.all([storage.close(), other.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an executor without a storage', () => {
  test('has no workflows: none declared, and `storage` must be a Storage', async () => {
    const executor = new Executor({ tools: [add], minProcesses: 0 });
    try {
      assert.equal(executor.workflows, undefined);
      assert.doesNotMatch(executor.declarations(), /workflows/);
    } finally {
      await executor.close();
    }
    assert.throws(() => new Executor({ storage: {} as never }), refusedWith('INVALID_OPTION', /expected `storage` to be a Storage/));
  });

  test('a plain tool named like a workflow never has its answer run as code, even one shaped like a workflow’s', async () => {
    // Data from outside (a page, an upstream server) shaped like the host's answer to a workflow call.
    const shaped = { key: 'k@1', source: '(function () { return () => "ran as code"; })', input: {} };
    const own = { name: 'workflows', tools: [defineTool({ name: 'fetch', description: 'Echoes outside data.', input: z.object({}), run: () => shaped })] };
    const executor = new Executor({ capabilities: [own], minProcesses: 0 });
    try {
      const result = await executor.run('return await codemode.workflows.fetch({})');
      assert.deepEqual(result.ok && result.value, shaped);
    } finally {
      await executor.close();
    }
  });

  test('may have a capability of its own named workflows, whose tools answer as any tool; beside a storage it is refused', async () => {
    const own = { name: 'workflows', tools: [defineTool({ name: 'sum', description: 'Not a workflow.', input: z.object({ a: z.number() }), run: ({ a }) => ({ key: a, source: 'x' }) })] };
    const executor = new Executor({ capabilities: [own], minProcesses: 0 });
    try {
      const result = await executor.run('return await codemode.workflows.sum({ a: 1 })');
      assert.deepEqual(result.ok && result.value, { key: 1, source: 'x' });
    } finally {
      await executor.close();
    }
    const dir = mkdtempSync(join(tmpdir(), 'codemode-taken-'));
    try {
      assert.throws(() => new Executor({ capabilities: [own], storage: new FileStorage({ dir }) }), refusedWith('DUPLICATE_TOOL', /`workflows` is the namespace of its workflows/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stale workflows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-stale-'));
  const executor = new Executor({ tools: [add, double], storage: new FileStorage({ dir }), minProcesses: 0 });
  after(async () => {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves once the workflow's stale mark is `wanted` (set or not), as the library reports changes. */
  function staleness(name: string, wanted: boolean): Promise<string | undefined> {
    return new Promise((resolve) => {
      const look = async () => {
        const record = await executor.workflows!.get({ name });
        if ((record?.stale !== undefined) === wanted) {
          stop();
          resolve(record?.stale);
        }
      };
      const stop = executor.workflows!.onChange(() => void look());
    });
  }

  test('removing a tool a workflow calls marks it stale with the diagnostic, in list, declarations and search', async () => {
    await executor.workflows!.save({ name: 'quadruple', description: 'Four times n.', code: 'async function run(input: { n: number }): Promise<number> {\n  return await codemode.double({ n: await codemode.double({ n: input.n }) });\n}' });
    await executor.workflows!.save({ name: 'plain', description: 'Adds one.', code: 'async function run(input: { n: number }) { return input.n + 1 }' });
    const marked = staleness('quadruple', true);
    executor.tools.remove('double');
    const stale = await marked;
    assert.match(stale ?? '', /^line 2:25 TS2339: Property 'double' does not exist on type '\{ add\(input: .*…'\./);
    const listed = await executor.workflows!.list();
    assert.deepEqual(listed.map((w) => [w.name, w.stale !== undefined]), [['plain', false], ['quadruple', true]]);
    assert.match(executor.declarations(), /\/\*\* Four times n\. \[stale: line 2:25 TS2339: Property 'double' does not exist\.\] \*\//);
    const hit = executor.search('four times').find((h) => h.name === 'workflows.quadruple');
    assert.match(hit?.description ?? '', /\[stale: line 2:25 /);
    const fromModel = await executor.run('return (await codemode.workflows.list()).filter((w) => w.stale).map((w) => w.name)');
    assert.deepEqual(fromModel.ok && fromModel.value, ['quadruple']);
  });

  test('adding the tool back un-stales it', async () => {
    executor.tools.add(double);
    await executor.workflows!.recheck();
    assert.equal((await executor.workflows!.get({ name: 'quadruple' }))?.stale, undefined);
    assert.doesNotMatch(executor.declarations(), /\[stale:/);
    const result = await executor.run('return await codemode.workflows.quadruple({ n: 2 })');
    assert.deepEqual(result.ok && result.value, 8);
  });

  test('deleting a workflow another one calls makes the caller stale', async () => {
    await executor.workflows!.save({ name: 'plusTwo', description: 'Adds two.', code: 'async function run(input: { n: number }) { return (await codemode.workflows.plain(input)) + 1 }' });
    assert.deepEqual(await executor.run('return await codemode.workflows.plusTwo({ n: 1 })').then((r) => r.ok && r.value), 3);
    await executor.workflows!.delete({ name: 'plain' });
    await executor.workflows!.recheck();
    assert.match((await executor.workflows!.get({ name: 'plusTwo' }))?.stale ?? '', /Property 'plain' does not exist/);
  });
});

describe('concurrent saves of one workflow', () => {
  test('two executors saving with the version they read: one saves, the other gets VERSION_CONFLICT and nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemode-conflict-'));
    const storage = new FileStorage({ dir });
    const one = new Executor({ tools: [add], storage, minProcesses: 0 });
    const two = new Executor({ tools: [add], storage: new FileStorage({ dir }), minProcesses: 0 });
    try {
      const base = await one.workflows!.save({ name: 'shared', description: 'v1', code: 'async function run() { return 1 }', ifVersion: null });
      await assert.rejects(two.workflows!.save({ name: 'shared', description: 'v0', code: 'async function run() { return 0 }', ifVersion: null }), refusedWith('VERSION_CONFLICT'));
      const results = await Promise.allSettled([
        one.workflows!.save({ name: 'shared', description: 'from one', code: 'async function run() { return "one" }', ifVersion: base.version }),
        two.workflows!.save({ name: 'shared', description: 'from two', code: 'async function run() { return "two" }', ifVersion: base.version }),
      ]);
      const saved = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      assert.equal(saved.length, 1);
      assert.equal(refused.length, 1);
      refusedWith('VERSION_CONFLICT')((refused[0] as PromiseRejectedResult).reason);
      const winner = (saved[0] as PromiseFulfilledResult<{ description: string }>).value.description;
      // Both executors run the winner's code.
      for (const executor of [one, two]) {
        const result = await executor.run('return await codemode.workflows.shared()');
        assert.deepEqual(result.ok && result.value, winner === 'from one' ? 'one' : 'two');
      }
    } finally {
      await Promise.all([one.close(), two.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
