import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EditedText } from '../../src/normalize/edits.js';
import { fencedBlocks } from '../../src/normalize/fence.js';
import { normalize, SEVERAL_FENCES_HINT } from '../../src/normalize/normalize.js';

describe('normalize', () => {
  test('a plain body is wrapped in an async arrow on lines of its own', () => {
    assert.equal(normalize('const a = 1;\nreturn a').source, '(async () => {\nconst a = 1;\nreturn a\n})');
  });

  test('a last expression becomes the value, like a REPL', () => {
    assert.equal(normalize('const a = 1;\na + 1 // sum').source, '(async () => {\nconst a = 1;\nreturn (a + 1) // sum\n})');
    assert.equal(normalize('async function main() { return 1 }\nmain();').source, '(async () => {\nasync function main() { return 1 }\nreturn (main());\n})');
  });

  test('a single function is kept and called, in each of its shapes', () => {
    for (const code of ['async () => { return 1 }', '(async () => 1)', 'async function main() { return 1 }', 'function main() { return 1 }', 'async x => x']) {
      assert.equal(normalize(code).source, `(\n${code}\n)`, code);
    }
  });

  test('export default is blanked out without moving any column', () => {
    assert.equal(normalize('export default async () => 1').source, '(\n               async () => 1\n)');
    assert.equal(normalize('export default async function main() { return 1 }').source, '(\n               async function main() { return 1 }\n)');
  });

  test('a markdown fence is removed and positions still count its line', () => {
    const result = normalize('```javascript\nconst a = 1;\nreturn a;\n```');
    assert.equal(result.source, '(async () => {\nconst a = 1;\nreturn a;\n})');
    assert.deepEqual(result.toOriginal({ line: 3, column: 1 }), { line: 3, column: 1 });
  });

  test('text that only mentions a fence is not unwrapped', () => {
    assert.equal(normalize('const s = "```";\nreturn s').source, '(async () => {\nconst s = "```";\nreturn s\n})');
  });

  test('positions in the wrapper map to nothing, positions after an inserted return map back', () => {
    const result = normalize('let x = 1\nx + 1');
    assert.equal(result.toOriginal({ line: 1, column: 3 }), undefined);
    assert.deepEqual(result.toOriginal({ line: 3, column: 9 }), { line: 2, column: 1 });
    assert.deepEqual(result.toOriginal({ line: 3, column: 13 }), { line: 2, column: 5 });
  });

  test('TypeScript is detected, transpiled and mapped back through the source map', () => {
    const result = normalize('interface Item { id: number }\n\nconst items: Item[] = [{ id: 1 }];\nitems[0]!.id as number');
    assert.equal(result.language, 'typescript');
    assert.doesNotMatch(result.source, /interface|: Item|!\.|as number/);
    const line = result.source.split('\n').findIndex((text) => text.includes('items[0].id')) + 1;
    const column = result.source.split('\n')[line - 1]!.indexOf('items[0]') + 1;
    assert.deepEqual(result.toOriginal({ line, column }), { line: 4, column: 1 });
  });

  test('a ts fence makes plain-looking code TypeScript', () => {
    assert.equal(normalize('```ts\nreturn 1\n```').language, 'typescript');
    assert.equal(normalize('return 1').language, 'javascript');
  });

  test('a TypeScript syntax error is found before running, at the line as sent', () => {
    const result = normalize('const a: number = 1;\nconst b: string = ;');
    assert.deepEqual(result.problem, { kind: 'syntax', name: 'SyntaxError', message: 'Expression expected.', position: { line: 2, column: 19 } });
  });

  test('an import is refused with a message that says what to do instead', () => {
    const result = normalize('const x = 1;\nimport fs from "node:fs";');
    assert.deepEqual(result.problem?.position, { line: 2, column: 1 });
    assert.match(result.problem!.message, /^import is not available here/);
  });
});

describe('syntax errors point into the model\'s code only', () => {
  test('an error at the end of the code says unexpected end of input at the model\'s last line, not at our wrapper', () => {
    assert.deepEqual(normalize('return (1 +').problem, {
      kind: 'syntax',
      name: 'SyntaxError',
      message: 'Unexpected end of input (expression expected)',
      position: { line: 1, column: 12 },
    });
    // Trailing blank lines and a fence do not move it off the model's last line.
    assert.deepEqual(normalize('```js\nconst a = 1;\nif (a) {\n  return a;\n\n```').problem?.position, { line: 4, column: 12 });
    assert.match(normalize('const a: number = f(\n\n').problem!.message, /^Unexpected end of input \(/);
  });

  test('a stray closing brace is reported at the model\'s brace with V8\'s words', () => {
    assert.deepEqual(normalize('const a = 1;\nreturn a }').problem, { kind: 'syntax', name: 'SyntaxError', message: "Unexpected token '}'", position: { line: 2, column: 10 } });
  });

  test('a JavaScript syntax error inside the code keeps V8\'s message and position', () => {
    assert.deepEqual(normalize('const a = 1;\nconst b = ;').problem, { kind: 'syntax', name: 'SyntaxError', message: "Unexpected token ';'", position: { line: 2, column: 11 } });
  });

  test('code nested too deeply to parse is a syntax problem, not a throw', () => {
    const problem = normalize('('.repeat(3e4) + '1' + ')'.repeat(3e4)).problem;
    assert.equal(problem?.kind, 'syntax');
    assert.match(problem!.message, /nested too deeply/);
    assert.match(problem!.hint!, /flatter/);
  });
});

describe('prose around a fenced block', () => {
  const answer = 'Here is the code:\n```js\nconst a = 2;\nnull.x\n```\nThis reads the file.';

  test('the one fenced block runs, with positions in the text as sent', () => {
    const result = normalize(answer);
    assert.equal(result.problem, undefined);
    assert.equal(result.source, '(async () => {\nconst a = 2;\nreturn (null.x)\n})');
    assert.deepEqual(result.toOriginal({ line: 3, column: 9 }), { line: 4, column: 1 });
  });

  test('the fence\'s language tag still makes the block TypeScript', () => {
    const result = normalize('Sure:\n\n```ts\nconst n: number = 1;\nreturn n\n```\n\nDone.');
    assert.equal(result.language, 'typescript');
    assert.equal(result.problem, undefined);
  });

  test('several fenced blocks fail as syntax with a hint to send one', () => {
    const problem = normalize('First:\n```js\nreturn 1\n```\nThen:\n```js\nreturn 2\n```').problem;
    assert.deepEqual(problem, {
      kind: 'syntax',
      name: 'SyntaxError',
      message: 'the text holds 2 fenced code blocks; one run takes one',
      position: { line: 6, column: 1 },
      hint: SEVERAL_FENCES_HINT,
    });
  });

  test('code that builds markdown with escaped fences in a template literal is still code', () => {
    const code = 'const md = `\n\\`\\`\\`js\nx\n\\`\\`\\`\n`;\nreturn md';
    const result = normalize(code);
    assert.equal(result.problem, undefined);
    assert.equal(result.source, `(async () => {\n${code}\n})`);
  });

  test('an unclosed fence is not a block', () => {
    assert.deepEqual(fencedBlocks('```js\nreturn 1'), []);
    assert.deepEqual(fencedBlocks('x\n```\nreturn 1\n```\ny'), [{ start: 6, end: 14, language: '' }]);
  });
});

describe('EditedText', () => {
  test('insertions at one offset apply in their order and every original position survives', () => {
    const text = 'ab\ncd';
    const edited = new EditedText(text).insert(0, 'X', -1).insert(0, 'Y').insert(5, 'Z', 1).insert(5, 'W');
    assert.equal(edited.toString(), 'XYab\ncdWZ');
    assert.deepEqual(edited.toOriginal({ line: 1, column: 3 }), { line: 1, column: 1 });
    assert.deepEqual(edited.toOriginal({ line: 2, column: 2 }), { line: 2, column: 2 });
    assert.equal(edited.toOriginal({ line: 1, column: 1 }), undefined);
    assert.equal(edited.toOriginal({ line: 2, column: 4 }), undefined);
  });

  test('a replacement maps its inside to where it starts', () => {
    const edited = new EditedText('export default f').replace(0, 14, 'x');
    assert.equal(edited.toString(), 'x f');
    assert.deepEqual(edited.toOriginal({ line: 1, column: 1 }), { line: 1, column: 1 });
    assert.deepEqual(edited.toOriginal({ line: 1, column: 3 }), { line: 1, column: 16 });
  });
});
