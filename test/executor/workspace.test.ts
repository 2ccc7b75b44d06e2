// Workspaces through the public API: variables that persist across runs, what loses them (and says so),
// runs one at a time in order, idle expiry, closing, and the per-executor cap.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CodemodeError, Executor } from '../../src/index.js';
import { FileStorage } from '../../src/storage/index.js';
import { double, gate } from '../fixtures.js';
import { errorOf, valueOf } from '../run-result.js';

const LOST = /The workspace was reset: its variables are gone and the next run starts from an empty workspace \(artifacts and workflows in storage are kept\)\./;

/** Limits far beyond what the runs need, so no run's kind depends on the machine's load. */
const NO_RACE = { timeoutMs: 60_000 };

async function rejection(action: () => Promise<unknown>): Promise<CodemodeError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof CodemodeError, `not a CodemodeError: ${String(error)}`);
    return error;
  }
  assert.fail('expected the action to reject');
}

describe('workspaces', () => {
  const executor = new Executor({ tools: [double], minProcesses: 0, memoryLimitMb: 64, ...NO_RACE });
  after(() => executor.close());

  test('every kind of top-level declaration, destructuring included, persists into the next run', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(
        await ws.run(`
          const { a, b: [c, ...rest], d: { e = 5 } } = { a: 1, b: [2, 3, 4], d: {} };
          let counter = await codemode.double({ n: 10 });
          var label = 'v';
          let unset;
          function twice(n) { return 2 * n }
          async function later() { return 'later' }
          class Box { constructor(v) { this.v = v } get() { return this.v } }
        `),
      );
      assert.deepEqual(valueOf(await ws.run('[a, c, rest, e, counter, label, unset, twice(4), await later(), new Box(7).get()]')), [1, 2, [3, 4], 5, 20, 'v', undefined, 8, 'later', 7]);
      // A `let` is assignable in a later run; a `var` declared again without a value keeps its value.
      assert.deepEqual(valueOf(await ws.run('counter += 1; var label; [counter, label]')), [21, 'v']);
      // The executor's own runs stay stateless.
      assert.equal(valueOf(await executor.run('typeof counter')), 'undefined');
    } finally {
      await ws.close();
    }
  });

  test('a function can be called above its declaration, in its run and from the next', async () => {
    const ws = await executor.workspace();
    try {
      assert.equal(valueOf(await ws.run('const first = helper(1)\nfunction helper(n) { return n + 1 }\nfirst')), 2);
      assert.equal(valueOf(await ws.run('helper(first)')), 3);
    } finally {
      await ws.close();
    }
  });

  test('a lone function declaration is kept for later runs, not called; a lone arrow function is still called', async () => {
    const ws = await executor.workspace();
    try {
      assert.equal(valueOf(await ws.run('async function fetchTwice(n) {\n  return codemode.double({ n: n * 2 })\n}')), undefined);
      assert.equal(valueOf(await ws.run('await fetchTwice(5)')), 20);
      assert.equal(valueOf(await ws.run('async () => typeof fetchTwice')), 'function');
    } finally {
      await ws.close();
    }
  });

  test('TypeScript declarations persist too, annotations and all', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('interface Row { n: number }\nconst rows: Row[] = [{ n: 1 }, { n: 2 }]\nlet total!: number\ntotal = rows.length'));
      assert.deepEqual(valueOf(await ws.run('const sum: number = rows.reduce((s: number, r: Row) => s + r.n, 0);\n[sum, total]')), [3, 2]);
    } finally {
      await ws.close();
    }
  });

  test('a later run may declare a name again, with another kind', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const x = 1; function f() { return "f1" }'));
      assert.equal(valueOf(await ws.run('let x = 2; x += 1; x')), 3);
      assert.equal(valueOf(await ws.run('var x = "var"; const f = () => "f2"; x + f()')), 'varf2');
      assert.equal(valueOf(await ws.run('class x {}; typeof x')), 'function');
    } finally {
      await ws.close();
    }
  });

  test('a declaration after a line without a semicolon stays a statement of its own', async () => {
    const ws = await executor.workspace();
    try {
      assert.deepEqual(valueOf(await ws.run('let calls = []\ncalls.push(1)\nconst after = calls.length\nclass Later {}\ntypeof Later\n')), 'function');
      assert.equal(valueOf(await ws.run('after')), 1);
    } finally {
      await ws.close();
    }
  });

  test('assigning a const fails in its run and in later runs, until the name is declared again', async () => {
    const ws = await executor.workspace();
    try {
      const error = errorOf(await ws.run('const limit = 1\nlimit = 2'));
      assert.equal(error.name, 'TypeError');
      assert.equal(error.message, 'Assignment to constant variable.');
      assert.equal(error.line, 2);
      assert.equal(errorOf(await ws.run('limit++')).message, 'Assignment to constant variable.');
      assert.equal(valueOf(await ws.run('let limit = 5; limit = 6; limit')), 6);
    } finally {
      await ws.close();
    }
  });

  test('a run that throws keeps the variables as they were at the throw', async () => {
    const ws = await executor.workspace();
    try {
      const error = errorOf(await ws.run('let done = 0\nconst before = "set"\ndone = 1\nthrow new Error("stop here")\ndone = 2'));
      assert.equal(error.message, 'stop here');
      assert.doesNotMatch(error.message, LOST);
      assert.deepEqual(valueOf(await ws.run('[done, before]')), [1, 'set']);
    } finally {
      await ws.close();
    }
  });

  test('positions in the errors of a later run point into that run’s code', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const items = [1, 2, 3]\nlet more = 4'));
      const code = 'const { length } = items\nlet twice = length * 2\n\nif (twice > more) throw new RangeError(`too many: ${twice}`)';
      const error = errorOf(await ws.run(code));
      assert.equal(error.name, 'RangeError');
      assert.equal(error.line, 4);
      assert.equal(error.column, 25);
      assert.match(error.frame!, /> 4 \| if \(twice > more\) throw new RangeError/);
      assert.match(error.stack!, /code\.js:4:25/);
    } finally {
      await ws.close();
    }
  });

  test('positions in a TypeScript run point into its code, past annotations the rewrite removed', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const base: number = 2'));
      const error = errorOf(await ws.run('const factor: number = base * 2; let label: string = "x"\nconst total: number = factor * missingValue'));
      assert.equal(error.message, 'missingValue is not defined');
      assert.equal(error.line, 2);
      assert.equal(error.column, 32);
      // Declarations before the throw took effect.
      assert.deepEqual(valueOf(await ws.run('[factor, label]')), [4, 'x']);
    } finally {
      await ws.close();
    }
  });

  test('a timeout clears the workspace, the error says so, and the next run starts empty', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const kept = "before"'));
      const error = errorOf(await ws.run('while (true) {}', { timeoutMs: 200 }));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /^the run exceeded its 200 ms time limit\n/);
      assert.match(error.message, LOST);
      assert.equal(valueOf(await ws.run('typeof kept')), 'undefined');
      valueOf(await ws.run('const again = 1'));
      assert.equal(valueOf(await ws.run('again')), 1);
    } finally {
      await ws.close();
    }
  });

  test('running out of memory clears the workspace and says so', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const kept = 1'));
      const error = errorOf(await ws.run('const hog = []; while (true) hog.push(new Array(1e5).fill(Math.random()))'));
      assert.equal(error.kind, 'memory');
      assert.match(error.message, LOST);
      assert.equal(valueOf(await ws.run('typeof kept')), 'undefined');
    } finally {
      await ws.close();
    }
  });

  test('killing the pinned process mid-run clears the workspace and says so; the next run gets a new process', async () => {
    const held = gate();
    const gated = new Executor({ tools: [held.tool], minProcesses: 0, ...NO_RACE });
    const ws = await gated.workspace();
    try {
      valueOf(await ws.run('const kept = 1'));
      const pid = ws.pid!;
      assert.ok(pid > 0);
      const session = await ws.start('await codemode.wait({ id: 1 })');
      const event = await session.nextEvent();
      assert.equal(event.type, 'host_call');
      process.kill(pid, 'SIGKILL');
      const error = errorOf(await session.result);
      assert.equal(error.kind, 'crashed');
      assert.match(error.message, /^the sandbox process died \(signal SIGKILL\)\n/);
      assert.match(error.message, LOST);
      assert.equal(valueOf(await ws.run('typeof kept')), 'undefined');
      assert.notEqual(ws.pid, pid);
    } finally {
      await gated.close();
    }
  });

  test('a pinned process killed between runs is never a silent fresh start: the next run says the variables are gone', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const kept = 1'));
      process.kill(ws.pid!, 'SIGKILL');
      // Whether the host saw the exit before the run or only when sending it, the run goes to a fresh process
      // and says the workspace was reset: in its logs when it completes, in its error when it fails.
      const next = await ws.run('typeof kept');
      assert.equal(valueOf(next), 'undefined');
      assert.deepEqual(next.logs.map((entry) => [entry.level, entry.text.replace(LOST, 'LOST')]), [['warn', '[codemode] LOST']]);
      const failed = errorOf(await ws.run('kept'));
      assert.doesNotMatch(failed.message, LOST);
      assert.equal(valueOf(await ws.run('typeof kept')), 'undefined');
    } finally {
      await ws.close();
    }
  });

  test('runs started together run one at a time, in the order they were started', async () => {
    const held = gate();
    const gated = new Executor({ tools: [held.tool], minProcesses: 0, ...NO_RACE });
    const ws = await gated.workspace();
    try {
      // The first run waits on a host call; the second must not start until it ends.
      const first = ws.run('let order = ["first"]; await codemode.wait({ id: 1 }); order.push("first done"); order');
      const second = ws.run('order.push("second"); order');
      await held.inFlight(1);
      held.releaseAll();
      assert.deepEqual(valueOf(await first), ['first', 'first done']);
      assert.deepEqual(valueOf(await second), ['first', 'first done', 'second']);
    } finally {
      await gated.close();
    }
  });

  test('reset empties the workspace after the runs started before it', async () => {
    const ws = await executor.workspace();
    try {
      const run = ws.run('const gone = 1');
      await ws.reset();
      valueOf(await run);
      assert.equal(valueOf(await ws.run('typeof gone')), 'undefined');
    } finally {
      await ws.close();
    }
  });

  test('an idle workspace is dropped after idleMs, and running it then is refused with WORKSPACE_EXPIRED', async () => {
    const ws = await executor.workspace({ idleMs: 1 });
    // The idle timer is unref'd (an idle workspace must not keep a host alive): keep this test's loop alive.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      assert.equal(await ws.ended, 'expired');
    } finally {
      clearInterval(keepAlive);
    }
    assert.equal(ws.pid, undefined);
    const error = await rejection(() => ws.run('1'));
    assert.equal(error.code, 'WORKSPACE_EXPIRED');
    assert.match(error.message, /^workspace ".+" was dropped after 1 ms without a run, and its variables with it; open a new one with executor\.workspace\(\)$/);
  });

  test('a closed workspace refuses runs with WORKSPACE_CLOSED, as do the workspaces of a closed executor', async () => {
    const ws = await executor.workspace({ id: 'notebook' });
    valueOf(await ws.run('const x = 1'));
    await ws.close();
    assert.equal(await ws.ended, 'closed');
    const error = await rejection(() => ws.run('x'));
    assert.equal(error.code, 'WORKSPACE_CLOSED');
    assert.equal(error.message, 'workspace "notebook" is closed: it was closed');
    // The id is free again.
    await (await executor.workspace({ id: 'notebook' })).close();

    const own = new Executor({ minProcesses: 0 });
    const open = await own.workspace();
    const running = open.start('await new Promise(() => {})');
    await own.close();
    assert.equal(errorOf(await (await running).result).kind, 'cancelled');
    const closed = await rejection(() => open.run('1'));
    assert.equal(closed.code, 'WORKSPACE_CLOSED');
    assert.match(closed.message, /is closed: its executor was closed$/);
  });

  test('an executor keeps at most maxWorkspaces live workspaces', async () => {
    const small = new Executor({ minProcesses: 0, maxWorkspaces: 2 });
    try {
      const first = await small.workspace();
      await small.workspace();
      const error = await rejection(() => small.workspace());
      assert.equal(error.code, 'WORKSPACE_LIMIT');
      assert.equal(error.message, 'this executor already has 2 live workspaces, its `maxWorkspaces`; close one (ws.close()) or raise `maxWorkspaces`');
      await first.close();
      await small.workspace();
      assert.equal((await rejection(() => small.workspace({ id: 'twice' }).then(() => small.workspace({ id: 'twice' })))).code, 'WORKSPACE_LIMIT');
    } finally {
      await small.close();
    }
  });

  test('the default cap is 32, and a duplicate id is refused', async () => {
    const many = new Executor({ minProcesses: 0 });
    try {
      for (let i = 0; i < 32; i++) await many.workspace({ id: `ws-${i}` });
      assert.equal((await rejection(() => many.workspace())).code, 'WORKSPACE_LIMIT');
      assert.equal((await rejection(() => many.workspace({ id: 'ws-3' }))).code, 'WORKSPACE_EXISTS');
    } finally {
      await many.close();
    }
  });

  test('type-checking a workspace run knows the variables earlier runs left', async () => {
    const ws = await executor.workspace();
    try {
      valueOf(await ws.run('const rows = [1, 2, 3]'));
      assert.deepEqual(await ws.check('const n: number = rows.length\nn'), []);
      const [diagnostic] = await ws.check('const s: string = 1');
      assert.equal(diagnostic?.code, 2322);
      assert.equal(valueOf(await ws.run('rows.length * 2', { typecheck: true })), 6);
      assert.equal(errorOf(await ws.run('missing.length', { typecheck: true })).kind, 'syntax');
      assert.match(ws.declarations(), /double\(input: [^)]+\): Promise<number>;/);
      assert.equal(ws.search('double')[0]?.name, 'double');
    } finally {
      await ws.close();
    }
  });

  test('a run refused by the type checker leaves no names behind: the next check and run do not see them', async () => {
    const ws = await executor.workspace();
    try {
      assert.equal(errorOf(await ws.run('const ghost: number = "text"', { typecheck: true })).kind, 'syntax');
      assert.equal((await ws.check('ghost'))[0]?.code, 2304);
      assert.equal(valueOf(await ws.run('typeof ghost')), 'undefined');
    } finally {
      await ws.close();
    }
  });

  test('built-ins replaced by an earlier run do not break the set-up of the next runs', async () => {
    const ws = await executor.workspace();
    try {
      // What the run's set-up uses (the codec's own built-ins are another matter: a run that breaks those
      // breaks its own values, in any run).
      await ws.run('Object.defineProperty = () => { throw new Error("no") }; Object.freeze = (o) => o; Object.create = () => ({}); globalThis.Proxy = function () {}; Reflect.get = () => 0; globalThis.Map = function () {}; 1');
      assert.equal(valueOf(await ws.run('await codemode.double({ n: 2 })')), 4);
      assert.equal(valueOf(await ws.run('console.count(); typeof codemode.missing')), 'function');
    } finally {
      await ws.close();
    }
  });

  test('a workspace with a storage of its own has that storage’s workflows, callable and typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemode-workspace-'));
    const storage = new FileStorage({ dir });
    const ws = await executor.workspace({ storage });
    try {
      assert.equal(ws.storage, storage);
      const code = 'async function run(input: { n: number }): Promise<number> {\n  return await codemode.double({ n: input.n + 1 });\n}';
      valueOf(await ws.run(`const saved = await codemode.workflows.save({ name: 'plusOneDoubled', description: 'Doubles n + 1.', code: ${JSON.stringify(code)} })`));
      assert.match(ws.declarations(), /plusOneDoubled\(input: [^\n]+\): Promise<number>;/);
      assert.equal(ws.search('plusOneDoubled')[0]?.name, 'workflows.plusOneDoubled');
      assert.deepEqual(valueOf(await ws.run('const four = await codemode.workflows.plusOneDoubled({ n: 1 }); [saved.name, four]', { typecheck: true })), ['plusOneDoubled', 4]);
      // The executor (without a storage) has no workflows.
      assert.doesNotMatch(executor.declarations(), /plusOneDoubled/);
    } finally {
      await ws.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a run may not change the workspace’s memory limit', async () => {
    const ws = await executor.workspace();
    try {
      const error = await rejection(() => ws.run('1', { memoryLimitMb: 32 }));
      assert.equal(error.code, 'INVALID_OPTION');
      assert.match(error.message, /a workspace's memory limit is its executor's \(64 MB\)/);
    } finally {
      await ws.close();
    }
  });
});
