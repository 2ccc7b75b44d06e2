// What models actually send, end to end through a real executor: every form in JavaScript and TypeScript
// must give the value, and errors must point at the lines as sent.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { defineCapability, defineTool, Executor } from '../../src/index.js';

const users = defineCapability({
  name: 'users',
  description: 'The user directory.',
  tools: [
    defineTool({
      name: 'list',
      description: 'Lists users.',
      input: z.object({ team: z.string().optional() }),
      output: z.array(z.object({ id: z.number(), name: z.string(), team: z.string() })),
      run: ({ team }) => [
        { id: 1, name: 'Ada', team: 'core' },
        { id: 2, name: 'Grace', team: 'core' },
        { id: 3, name: 'Linus', team: 'infra' },
      ].filter((user) => !team || user.team === team),
    }),
  ],
});

const executor = new Executor({ capabilities: [users] });
after(() => executor.close());

const corpus: Array<[string, string, unknown]> = [
  ['a plain body with await and return', 'const all = await codemode.users.list();\nreturn all.length;', 3],
  ['a last expression as the value', 'const all = await codemode.users.list({ team: "core" });\nall.map((u) => u.name).join(", ")', 'Ada, Grace'],
  ['a bare expression', '1 + 1', 2],
  ['an async arrow', 'async () => {\n  const all = await codemode.users.list();\n  return all[0].name;\n}', 'Ada'],
  ['an async arrow in parentheses', '(async () => (await codemode.users.list()).length)', 3],
  ['an async function without a call', 'async function main() {\n  return (await codemode.users.list({ team: "infra" }))[0].name;\n}', 'Linus'],
  ['an async function with a call', 'async function main() {\n  return 42;\n}\nmain();', 42],
  ['an async function with an awaited call', 'async function main() {\n  return 42;\n}\nawait main();', 42],
  ['an async function whose call is returned', 'async function main() {\n  return 7;\n}\nreturn main();', 7],
  ['export default of an arrow', 'export default async () => {\n  return "default";\n};', 'default'],
  ['export default of a function', 'export default async function run() {\n  return "named default";\n}', 'named default'],
  ['a js fence', '```js\nconst all = await codemode.users.list();\nreturn all.length;\n```', 3],
  ['a javascript fence with text around nothing', '```javascript\nreturn "fenced"\n```\n', 'fenced'],
  ['a bare fence', '```\nreturn "bare"\n```', 'bare'],
  ['TypeScript annotations', 'const all: Array<{ id: number; name: string }> = await codemode.users.list();\nconst names: string[] = all.map((u) => u.name);\nreturn names.length;', 3],
  ['a TypeScript interface and type alias', 'interface User { id: number; name: string; team: string }\ntype Team = Record<string, User[]>;\nconst byTeam: Team = {};\nfor (const u of (await codemode.users.list()) as User[]) (byTeam[u.team] ??= []).push(u);\nreturn Object.keys(byTeam).sort();', ['core', 'infra']],
  ['TypeScript as and satisfies', 'const config = { limit: 2 } satisfies { limit: number };\nconst all = (await codemode.users.list()) as unknown as { name: string }[];\nreturn all.slice(0, config.limit).map((u) => u.name);', ['Ada', 'Grace']],
  ['TypeScript generics', 'function first<T>(items: T[]): T | undefined { return items[0]; }\nreturn first<number>([5, 6]);', 5],
  ['a TypeScript enum', 'enum Level { Low = 1, High = 3 }\nreturn Level.High;', 3],
  ['a TypeScript arrow with a return type', 'async (): Promise<number> => {\n  const all = await codemode.users.list();\n  return all.length;\n}', 3],
  ['a ts fence with a non-null assertion', '```ts\nconst all = await codemode.users.list();\nreturn all.find((u) => u.id === 2)!.name;\n```', 'Grace'],
  ['a typescript fence with export default', '```typescript\nexport default async function main(): Promise<string> {\n  return "ts default";\n}\n```', 'ts default'],
];

describe('what models send', () => {
  for (const [name, code, expected] of corpus) {
    test(`${name} runs and gives its value`, async () => {
      const result = await executor.run(code);
      assert.ok(result.ok, `${name}: ${JSON.stringify(result)}`);
      assert.deepEqual(result.value, expected);
    });
  }
});

describe('errors point at the lines as sent', () => {
  test('a runtime error in TypeScript maps through the transpiler to its line and column', async () => {
    const code = 'interface A { x: number }\n\n\nconst a: A | undefined = undefined;\nconst n: number = a!.x;';
    const result = await executor.run(code);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'runtime');
    assert.deepEqual(!result.ok && [result.error.line, result.error.column], [5, 22]);
    assert.equal(!result.ok && result.error.stack, "TypeError: Cannot read properties of undefined (reading 'x')\n    at code.js:5:22");
  });

  test('a runtime error after a REPL-style last expression keeps its column', async () => {
    const result = await executor.run('const o = null;\no.field');
    assert.deepEqual(!result.ok && [result.error.line, result.error.column], [2, 3]);
  });

  test('a stack printed with console.error maps too', async () => {
    const result = await executor.run('type T = number;\nconst e: Error = new Error("logged");\nconsole.error(e);');
    assert.equal(result.logs[0]!.text, 'Error: logged\n    at code.js:2:18');
  });

  test('a TypeScript syntax error fails before running, with a frame', async () => {
    const result = await executor.run('```ts\nconst a: number = 1;\nconst b: string = ;\n```');
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.error.kind, 'syntax');
    assert.deepEqual(!result.ok && [result.error.message, result.error.line, result.error.column], ['Expression expected.', 3, 19]);
    assert.equal(!result.ok && result.error.frame, '  2 | const a: number = 1;\n> 3 | const b: string = ;\n    |                   ^');
    assert.equal(result.stats.cpuMs, 0);
  });

  test('a JavaScript syntax error inside a fence counts the fence line', async () => {
    const result = await executor.run('```js\nconst ok = 1;\nconst broken = ;\n```');
    assert.deepEqual(!result.ok && [result.error.kind, result.error.message, result.error.line, result.error.column], ['syntax', "Unexpected token ';'", 3, 16]);
  });

  test('an import is refused as syntax with a message that says what to use', async () => {
    const result = await executor.run('import { readFile } from "node:fs/promises";\nreturn 1');
    assert.equal(!result.ok && result.error.kind, 'syntax');
    assert.equal(!result.ok && result.error.message, 'import is not available here: there are no modules; call the codemode.* tools instead');
  });
});
