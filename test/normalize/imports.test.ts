import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalize } from '../../src/normalize/normalize.js';

const modules = ['papaparse', 'date-fns'];

describe('imports of configured modules', () => {
  test('declarations are blanked where they stand and their bindings wrap the code', () => {
    const result = normalize("import Papa, { unparse as u } from 'papaparse';\nimport * as d from 'date-fns';\nreturn 1", { modules });
    assert.equal(
      result.source,
      '((Papa, { unparse: u }, d) => (async () => {\n' +
        ' '.repeat("import Papa, { unparse as u } from 'papaparse';".length) +
        '\n' +
        ' '.repeat("import * as d from 'date-fns';".length) +
        '\nreturn 1\n}))(__codemode_import.default("papaparse"), __codemode_import("papaparse"), __codemode_import("date-fns"))',
    );
    assert.deepEqual(result.imports, ['papaparse', 'date-fns']);
    assert.equal(result.problem, undefined);
  });

  test('a dynamic import has only its keyword replaced, so every column after it stays', () => {
    const result = normalize("const { format } = await import('date-fns');\nreturn format", { modules });
    assert.equal(result.source, "(async () => {\nconst { format } = await __codemode_import.dynamic('date-fns');\nreturn format\n})");
    assert.deepEqual(result.imports, ['date-fns']);
    assert.deepEqual(result.toOriginal({ line: 3, column: 8 }), { line: 2, column: 8 });
  });

  test('positions after the imports map to the lines as sent', () => {
    const result = normalize("import Papa from 'papaparse';\nconst x = Papa.parse('a');\nreturn x", { modules });
    const line = result.source.split('\n').findIndex((text) => text.startsWith('const x')) + 1;
    assert.deepEqual(result.toOriginal({ line, column: 11 }), { line: 2, column: 11 });
  });

  test('type-only imports load nothing; a side-effect import loads its module and binds nothing', () => {
    const typeOnly = normalize("```ts\nimport type { ParseResult } from 'papaparse';\nconst r: ParseResult<string> | undefined = undefined;\nreturn r;\n```", { modules });
    assert.equal(typeOnly.imports, undefined);
    assert.doesNotMatch(typeOnly.source, /__codemode_import/);
    const bare = normalize("import 'date-fns';\nreturn 1", { modules });
    assert.deepEqual(bare.imports, ['date-fns']);
    assert.equal(bare.source, "(async () => {\n                  \nreturn 1\n})");
  });

  test('the type checker reads the declarations above the wrapper, mapped back to where they were written', () => {
    const result = normalize("const a = 1;\nimport { format } from 'date-fns';\nreturn a", { modules });
    const lines = result.checkable.text.split('\n');
    assert.equal(lines[0], "import { format } from 'date-fns';");
    assert.deepEqual(result.checkable.toOriginal({ line: 1, column: 10 }), { line: 2, column: 10 });
  });

  test('one function after its imports is still the function to call', () => {
    const result = normalize("import { format } from 'date-fns';\nexport default async () => format(new Date(), 'yyyy');", { modules });
    assert.equal(result.source, `(({ format }) => (\n${' '.repeat(34)}\n${' '.repeat(15)}async () => format(new Date(), 'yyyy') \n))(__codemode_import("date-fns"))`);
  });
});

describe('imports of anything else are syntax problems with a hint', () => {
  test('a module not configured names the modules there are', () => {
    const { problem } = normalize("return 1;\nimport x from 'lodash';", { modules });
    assert.deepEqual(problem, {
      kind: 'syntax',
      name: 'SyntaxError',
      message: 'import is not available for "lodash": it is not one of the modules here',
      position: { line: 2, column: 1 },
      hint: 'The modules you can import: papaparse, date-fns. Do the rest with standard JavaScript and the codemode.* tools.',
    });
  });

  test('a dynamic import needs a quoted name', () => {
    const { problem } = normalize('const name = "papaparse";\nawait import(name);', { modules });
    assert.deepEqual([problem?.message, problem?.position], ['import() takes the name of a module in quotes', { line: 2, column: 7 }]);
  });

  test('with no modules, an import says there are none', () => {
    const { problem } = normalize("import Papa from 'papaparse';");
    assert.deepEqual([problem?.message, problem?.hint], [
      'import is not available here: there are no modules; call the codemode.* tools instead',
      'Nothing can be imported here: use standard JavaScript and the codemode.* tools.',
    ]);
  });

  test("TypeScript's import-require form is refused too", () => {
    const { problem } = normalize("```ts\nimport Papa = require('papaparse');\nreturn 1;\n```", { modules });
    assert.deepEqual([problem?.kind, problem?.position], ['syntax', { line: 2, column: 1 }]);
  });
});
