// Modules through the public API, with real packages from npm (papaparse, date-fns: devDependencies) and
// fixture packages in a real temp project for what must be refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodemodeError, Executor } from '../../src/index.js';
import { FsCapability } from '../../capabilities/index.js';
import { sandboxPermissions } from '../../src/runtime/sandbox-permissions.js';
import { valueOf } from '../run-result.js';
import { fixtureProject, REPO_ROOT } from './helpers.js';

const data = mkdtempSync(join(tmpdir(), 'codemode-modules-data-'));
writeFileSync(join(data, 'orders.csv'), 'customer,date,total\nAda,2026-01-02,12.5\nGrace,2026-03-15,7\n');

let executor: Executor;
before(async () => {
  // One process: consecutive runs share it, so isolation between runs is shown on the same process.
  executor = new Executor({
    modules: ['papaparse', 'date-fns'],
    moduleRoot: REPO_ROOT,
    capabilities: [new FsCapability({ allowedPaths: [data] })],
    minProcesses: 1,
    maxProcesses: 1,
  });
  await executor.warmup();
});
after(async () => {
  await executor?.close();
  rmSync(data, { recursive: true, force: true });
});

describe('model code imports the configured modules', () => {
  test('a run parses CSV read through codemode.fs and formats its dates', async () => {
    const code = [
      "import Papa from 'papaparse';",
      "import { format, parseISO } from 'date-fns';",
      `const text = await codemode.fs.readFile({ path: ${JSON.stringify(join(data, 'orders.csv'))} });`,
      'const { data } = Papa.parse(text, { header: true, skipEmptyLines: true });',
      "return data.map((row) => `${row.customer}: ${format(parseISO(row.date), 'd MMM yyyy')} (${Number(row.total)})`);",
    ].join('\n');
    assert.deepEqual(valueOf(await executor.run(code)), ['Ada: 2 Jan 2026 (12.5)', 'Grace: 15 Mar 2026 (7)']);
  });

  test('default, named, renamed, namespace and dynamic imports reach the same module, in TypeScript too', async () => {
    const code = [
      '```ts',
      "import Papa, { unparse as toCsv } from 'papaparse';",
      "import * as dates from 'date-fns';",
      "const { addDays } = await import('date-fns');",
      'const day: Date = addDays(new Date(Date.UTC(2026, 0, 1)), 1);',
      "return [toCsv([[1, 2]]), Papa.unparse === toCsv, dates.addDays === addDays, day.toISOString().slice(0, 10)];",
      '```',
    ].join('\n');
    assert.deepEqual(valueOf(await executor.run(code)), ['1,2', true, true, '2026-01-02']);
  });

  test('one function after the imports is called, as without them', async () => {
    const code = "import { unparse } from 'papaparse';\n\nexport default async function main() {\n  return unparse([['a', 'b']]);\n}";
    assert.equal(valueOf(await executor.run(code)), 'a,b');
  });

  test('an error after the imports points at the line as sent', async () => {
    const result = await executor.run("import Papa from 'papaparse';\nimport { format } from 'date-fns';\nconst rows = Papa.parse('a').data;\nrows.missing.length;");
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [result.error.kind, result.error.line, result.error.column], ['runtime', 4, 14]);
  });

  test('a run that imports nothing has no module in its context', async () => {
    assert.deepEqual(valueOf(await executor.run('return [typeof __codemode_import, typeof Papa, typeof dateFns]')), ['undefined', 'undefined', 'undefined']);
  });

  test('a run reaches only the modules it imports: another configured one is not loaded', async () => {
    const result = await executor.run("import Papa from 'papaparse';\nreturn __codemode_import('date-fns');");
    assert.equal(!result.ok && result.error.kind, 'runtime');
    assert.match(!result.ok ? result.error.message : '', /module "date-fns" is not loaded in this run/);
  });
});

describe('an import of anything else fails before running', () => {
  test('a module that is not configured fails as syntax with a hint listing the modules', async () => {
    const result = await executor.run("const a = 1;\nimport _ from 'lodash';\nreturn a;");
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [result.error.kind, result.error.line, result.error.column], ['syntax', 2, 1]);
    assert.equal(!result.ok && result.error.message, 'import is not available for "lodash": it is not one of the modules here');
    assert.equal(!result.ok && result.error.hint, 'The modules you can import: papaparse, date-fns. Do the rest with standard JavaScript and the codemode.* tools.');
  });

  test('a dynamic import of an unknown module, or of a computed name, fails the same way', async () => {
    const unknown = await executor.run("const m = await import('node:fs');");
    assert.match(!unknown.ok ? unknown.error.message : '', /"node:fs": it is not one of the modules here/);
    const computed = await executor.run("const name = 'papaparse';\nconst m = await import(name);");
    assert.deepEqual(!computed.ok && [computed.error.kind, computed.error.message, computed.error.line], ['syntax', 'import() takes the name of a module in quotes', 2]);
    assert.match(!computed.ok ? computed.error.hint ?? '' : '', /papaparse, date-fns/);
  });

  test('without modules, an import fails as syntax with a hint that nothing can be imported', async () => {
    const plain = new Executor({ minProcesses: 0 });
    try {
      const result = await plain.run("import Papa from 'papaparse';\nreturn 1;");
      assert.equal(!result.ok && result.error.kind, 'syntax');
      assert.equal(!result.ok && result.error.hint, 'Nothing can be imported here: use standard JavaScript and the codemode.* tools.');
    } finally {
      await plain.close();
    }
  });
});

describe('each run gets the modules as they were built', () => {
  test('a run cannot change a module for a later run: exports, added properties and module state', async () => {
    const first = [
      "import Papa from 'papaparse';",
      "import { setDefaultOptions, getDefaultOptions } from 'date-fns';",
      "Papa.parse = () => 'replaced';",
      'Papa.added = 1;',
      'setDefaultOptions({ weekStartsOn: 1 });',
      "return [Papa.parse('x'), getDefaultOptions()];",
    ].join('\n');
    assert.deepEqual(valueOf(await executor.run(first)), ['replaced', { weekStartsOn: 1 }]);
    const later = "import Papa from 'papaparse';\nimport { getDefaultOptions } from 'date-fns';\nreturn [Papa.parse('x').data, 'added' in Papa, getDefaultOptions()];";
    for (let run = 0; run < 3; run++) assert.deepEqual(valueOf(await executor.run(later)), [[['x']], false, {}]);
  });

  test('model code cannot swap the module table for the rest of its run or for a later one', async () => {
    const swap = "import Papa from 'papaparse';\nglobalThis.__codemode_import = () => ({ default: 'fake' });\nreturn typeof __codemode_import('papaparse').parse;";
    assert.equal(valueOf(await executor.run(swap)), 'function');
    assert.equal(valueOf(await executor.run("import Papa from 'papaparse';\nreturn typeof Papa.parse;")), 'function');
  });

  test('a workspace run imports modules too', async () => {
    const workspace = await executor.workspace();
    try {
      assert.equal(valueOf(await workspace.run("import { format } from 'date-fns';\nconst year = format(new Date(2026, 5, 1), 'yyyy');")), undefined);
      assert.equal(valueOf(await workspace.run("import { format } from 'date-fns';\nreturn year + format(new Date(2026, 5, 1), '-MM');")), '2026-06');
    } finally {
      await workspace.close();
    }
  });
});

describe('the modules are described for the model', () => {
  test("search finds a module by an export's name: the matching exports' signatures first, then more names", () => {
    const [hit] = executor.search('formatDistance');
    assert.equal(hit?.name, 'date-fns');
    const lines = hit!.declaration.split('\n');
    assert.match(lines[0]!, /^\/\/ module date-fns \d+\.\d+\.\d+: import \{ formatDistance, formatDistanceStrict \} from 'date-fns'$/);
    assert.equal(lines[1], 'formatDistance(laterDate: DateArg<Date> & {}, earlierDate: DateArg<Date> & {}, options?: FormatDistanceOptions): string;');
    assert.match(lines.at(-2)!, /^\/\/ more exports: .* \(and \d+ more\)$/);
  });

  test('search finds a module by its name, its default import and the overloads of a call that return something first', () => {
    const [hit] = executor.search('papaparse');
    assert.match(hit!.declaration, /^\/\/ module papaparse \d+\.\d+\.\d+: import papaparse from 'papaparse'; import \{ parse, unparse \} from 'papaparse'\n/);
    assert.match(hit!.declaration, /\nparse<T>\(csvString: string, config\?: ParseConfig<T>.*\): ParseResult<T>;\n/);
    assert.match(hit!.declaration, /; \(\+3 more overloads\);\nunparse/);
    assert.deepEqual(executor.modules().map(({ name, exports }) => [name, exports?.includes('unparse')]), [['papaparse', true], ['date-fns', false]]);
  });

  test('a query that matches no module and no tool finds nothing', () => {
    assert.deepEqual(executor.search('zzzz'), []);
  });
});

describe('the modules are typed for check()', () => {
  test('check() catches a wrong call into a module, at the line as sent', async () => {
    const code = "import Papa from 'papaparse';\nimport { format } from 'date-fns';\nconst rows = Papa.parse<string[]>('a,b').data;\nconst n: number = rows;\nformat(new Date());";
    const diagnostics = await executor.check(code);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line]),
      [
        [2322, 4],
        [2554, 5],
      ],
    );
  });

  test('check() finds an export the module does not have, in the import line as sent', async () => {
    const diagnostics = await executor.check("const a = 1;\nimport { formatt } from 'date-fns';\nreturn a;");
    assert.deepEqual(diagnostics.map((d) => [d.code, d.line, d.column]), [[2724, 2, 10]]);
    assert.match(diagnostics[0]!.message, /formatt.*format/);
  });

  test('check() passes correct code that uses modules, and knows no Node globals from their declarations', async () => {
    assert.deepEqual(await executor.check("import Papa from 'papaparse';\nimport { format } from 'date-fns';\nreturn format(new Date(), 'yyyy') + Papa.unparse([[1]]);"), []);
    const node = await executor.check("import Papa from 'papaparse';\nreturn process.cwd();");
    assert.deepEqual(node.map((d) => d.code), [2591]);
  });

  test('with typecheck, a wrong call into a module fails the run as syntax before it runs', async () => {
    const result = await executor.run("import { format } from 'date-fns';\nreturn format(new Date());", { typecheck: true });
    assert.deepEqual(!result.ok && [result.error.kind, result.error.name, result.error.line], ['syntax', 'TypeError', 2]);
  });
});

describe('a sandbox process that gets a module with a run that fails early', () => {
  test('keeps it: a later run there that imports it works', async () => {
    const single = new Executor({ modules: ['papaparse'], moduleRoot: REPO_ROOT, minProcesses: 1, maxProcesses: 1 });
    try {
      await single.warmup();
      // The process that loaded the module dies; the next one gets the bundle with the next run that imports it.
      const crash = await single.run("'1'.repeat(0x7ffffff).split('')");
      assert.equal(!crash.ok && crash.error.kind, 'crashed');
      // Compiles in normalization, not in V8 (a duplicate let): the run ends before the module would load.
      const early = await single.run("import Papa from 'papaparse';\nlet twice = 1;\nlet twice = 2;\nreturn Papa.parse('a').data;");
      assert.equal(!early.ok && early.error.kind, 'syntax');
      const later = await single.run("import Papa from 'papaparse';\nreturn Papa.parse('a,b').data;");
      assert.deepEqual(valueOf(later), [['a', 'b']]);
    } finally {
      await single.close();
    }
  });
});

describe('what cannot be a module is refused when the executor is configured', () => {
  const fixtures = fixtureProject({
    'needs-fs': "const fs = require('fs');\nmodule.exports = { read: (path) => fs.readFileSync(path, 'utf8') };",
    'needs-net': "import { connect } from 'node:net';\nexport const open = () => connect(80);",
    'needs-process': 'module.exports = { cwd: () => process.cwd() };',
    'checks-process': "module.exports = { env: typeof process !== 'undefined' ? process.env.HOME : 'none' };",
    native: { 'index.js': "module.exports = require('./build/addon.node');", 'build/addon.node': '' },
    throws: "throw new TypeError('cannot start here');",
    loops: 'for (;;) {}',
    allocates: 'const kept = [];\nfor (;;) kept.push(new Array(100000).fill(1));',
    'needs-window': 'module.exports = { width: window.innerWidth };',
    // ≈ 24 MB of heap once loaded (3 million small integers in a packed array).
    heavy: 'module.exports = { table: new Array(3e6).fill(7) };',
  });
  after(() => fixtures.cleanup());

  const refusals: Array<[string, RegExp, { timeoutMs?: number; memoryLimitMb?: number }?]> = [
    ['needs-fs', /^module "needs-fs" needs the Node built-in "fs", which the sandbox does not have/],
    ['needs-net', /^module "needs-net" needs the Node built-in "net"/],
    ['needs-process', /^module "needs-process" needs the Node global `process`/],
    ['native', /^module "native" needs native code \(build\/addon\.node\)/],
    ['throws', /^module "throws" fails when it loads in the sandbox: TypeError: cannot start here$/],
    ['needs-window', /^module "needs-window" needs the global `window`, which the sandbox does not have/],
    ['loops', /^module "loops" did not finish loading within 2000 ms in the sandbox/, { timeoutMs: 2000 }],
    ['allocates', /^module "allocates" needs more memory to load than the run's memory limit/, { memoryLimitMb: 16 }],
  ];
  for (const [name, message, limits] of refusals) {
    test(`${name}: refused with MODULE_REFUSED, by warmup() and by every run`, async () => {
      const refused = new Executor({ modules: [name], moduleRoot: fixtures.root, minProcesses: 0, ...limits });
      try {
        const expected = (error: unknown) => error instanceof CodemodeError && error.code === 'MODULE_REFUSED' && message.test(error.message);
        await assert.rejects(refused.warmup(), expected);
        await assert.rejects(refused.run('return 1'), expected);
      } finally {
        await refused.close();
      }
    });
  }

  test('a module that checks for a Node global before using it loads, and sees none', async () => {
    const guarded = new Executor({ modules: ['checks-process'], moduleRoot: fixtures.root, minProcesses: 0 });
    try {
      assert.equal(valueOf(await guarded.run("import { env } from 'checks-process';\nreturn env;")), 'none');
    } finally {
      await guarded.close();
    }
  });

  test("a module's memory counts toward the run's memory limit", async () => {
    const small = new Executor({ modules: ['heavy'], moduleRoot: fixtures.root, minProcesses: 0, memoryLimitMb: 16 });
    await assert.rejects(small.warmup(), (error) => (error as CodemodeError).code === 'MODULE_REFUSED' && /needs more memory to load/.test((error as Error).message)).finally(() => small.close());
    const roomy = new Executor({ modules: ['heavy'], moduleRoot: fixtures.root, minProcesses: 0, memoryLimitMb: 256 });
    try {
      assert.equal(valueOf(await roomy.run("import { table } from 'heavy';\nreturn table.length;")), 3e6);
      const tight = await roomy.run("import { table } from 'heavy';\nreturn table.length;", { memoryLimitMb: 16 });
      assert.equal(!tight.ok && tight.error.kind, 'memory');
      assert.equal(valueOf(await roomy.run('return 1', { memoryLimitMb: 16 })), 1);
    } finally {
      await roomy.close();
    }
  });

  test('bad module options throw in the constructor, showing the value', () => {
    const code = (error: unknown) => (error as CodemodeError).code;
    assert.throws(() => new Executor({ modules: 'papaparse' as never }), (error) => code(error) === 'INVALID_OPTION' && /expected `modules` to be an array of package names, got `"papaparse"` \(string\)/.test((error as Error).message));
    assert.throws(() => new Executor({ modules: ['../papaparse'] }), (error) => code(error) === 'INVALID_OPTION' && /expected `modules\[0\]` to be an npm package name/.test((error as Error).message));
    assert.throws(() => new Executor({ modules: ['papaparse', 'papaparse'], moduleRoot: REPO_ROOT }), (error) => code(error) === 'INVALID_OPTION' && /names "papaparse" twice/.test((error as Error).message));
    assert.throws(() => new Executor({ modules: ['not-installed-here'], moduleRoot: fixtures.root }), (error) => code(error) === 'MODULE_NOT_FOUND' && /npm install not-installed-here/.test((error as Error).message));
  });
});

test("the sandbox process reads no module's files: bundles arrive as source, its permissions are unchanged", () => {
  const readable = sandboxPermissions().readable.map(({ path }) => path);
  assert.ok(readable.every((path) => !/papaparse|date-fns/.test(path)), readable.join('\n'));
});
