import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalize } from '../../src/normalize/normalize.js';

describe('normalize', () => {
  test('a plain body is wrapped in an async arrow, one line down', () => {
    assert.deepEqual(normalize('return 1'), { source: '(async () => {\nreturn 1\n})', lineOffset: -1, columnOffset: 0 });
  });

  test('a single function is kept and called, in each of its shapes', () => {
    for (const code of ['async () => { return 1 }', '(async () => 1)', 'async function main() { return 1 }', 'function main() { return 1 }', 'async x => x']) {
      assert.equal(normalize(code).source, `(\n${code}\n)`, code);
    }
  });

  test('a function followed by more statements is a body', () => {
    assert.equal(normalize('async function main() { return 1 }\nreturn await main()').source.startsWith('(async () => {'), true);
    assert.equal(normalize('(async () => 1)()').source.startsWith('(async () => {'), true);
  });

  test('a markdown fence is removed and line numbers keep counting the fence line', () => {
    const result = normalize('```javascript\nconst a = 1;\nreturn a;\n```');
    assert.equal(result.source, '(async () => {\nconst a = 1;\nreturn a;\n})');
    assert.equal(result.lineOffset, 0);
    assert.equal(normalize('\n\n```ts\nreturn 1\n```\n').lineOffset, 2);
  });

  test('text that only mentions a fence is not unwrapped', () => {
    assert.equal(normalize('const s = "```";\nreturn s').source, '(async () => {\nconst s = "```";\nreturn s\n})');
  });
});
