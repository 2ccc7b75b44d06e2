// The package's .d.ts files as a consumer's compiler sees them: test/package/consumer/app.ts imports
// 'codemode', 'codemode/capabilities' and 'codemode/mcp' by name (resolved through package.json `exports`
// to the built declarations) and is compiled with the strictest settings a user may have:
// exactOptionalPropertyTypes, strict, and no skipLibCheck for our declarations. Its `@ts-expect-error` lines hold a tool whose
// `run` returns what its output schema does not allow: each must be an error.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const consumer = join(repo, 'test', 'package', 'consumer', 'app.ts');

function compile(options: ts.CompilerOptions): string[] {
  const program = ts.createProgram([consumer], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts'],
    strict: true,
    noEmit: true,
    ...options,
  });
  // Our declarations and the consumer, checked as a consumer without skipLibCheck checks them; other
  // packages' declarations are their own business (and checking them all costs seconds of CPU).
  const ours = program.getSourceFiles().filter((file) => file.fileName.startsWith(join(repo, 'dist')) || file.fileName === consumer);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
  ];
  return diagnostics.map((d) => {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : '';
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('the package types in a consumer', () => {
  test('compile with exactOptionalPropertyTypes and without skipLibCheck (with @types/node, as documented)', () => {
    assert.deepEqual(compile({ exactOptionalPropertyTypes: true, skipLibCheck: false, types: ['node'] }), []);
  });

  test('compile without @types/node when the consumer skips library checks (the tsc --init default)', () => {
    assert.deepEqual(compile({ exactOptionalPropertyTypes: true, skipLibCheck: true, types: [], lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] }), []);
  });
});
