import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { isReservedTypeName, NameAllocator, propertyKey, typeName } from '../../src/types/names.js';
import { printDeclarations, type ToolEntry } from '../../src/types/index.js';

const HOSTILE = `x']; globalThis.pwn = 1; //`;

test('identifiers stay bare and every other key becomes a JSON string literal', () => {
  assert.equal(propertyKey('readFile'), 'readFile');
  assert.equal(propertyKey('$x_1'), '$x_1');
  assert.equal(propertyKey('read-file'), '"read-file"');
  assert.equal(propertyKey('2fa'), '"2fa"');
  assert.equal(propertyKey('café'), '"café"');
  assert.equal(propertyKey(''), '""');
  assert.equal(propertyKey('a"b\\c\n'), '"a\\"b\\\\c\\n"');
  assert.equal(propertyKey(HOSTILE), JSON.stringify(HOSTILE));
});

test('new is quoted, since `new(input)` in an object type would be a construct signature', () => {
  assert.equal(propertyKey('new'), '"new"');
  assert.equal(propertyKey('constructor'), 'constructor');
});

test('type names are PascalCase ASCII words, with a fallback for empty or digit-led names', () => {
  assert.equal(typeName(['fs', 'readFile'], 'Tool'), 'FsReadFile');
  assert.equal(typeName(['read_file'], 'Tool'), 'ReadFile');
  assert.equal(typeName([HOSTILE], 'Tool'), 'XGlobalThisPwn1');
  assert.equal(typeName(['*/', '日本'], 'Tool'), 'Tool');
  assert.equal(typeName(['2fa'], 'Tool'), 'Tool2fa');
});

test('the allocator numbers taken names, skips library globals and keeps input and output names paired', () => {
  const names = new NameAllocator();
  assert.equal(names.take('Options'), 'Options');
  assert.equal(names.take('Options'), 'Options2');
  assert.equal(names.take('Promise'), 'Promise2');
  assert.equal(names.takeWithSuffixes('Add', ['Input', 'Output']), 'Add');
  names.take('GetOutput');
  assert.equal(names.takeWithSuffixes('Get', ['Input', 'Output']), 'Get2');
  assert.equal(names.isFree('GetInput'), true);
});

test('every global type of the ES2023 library is reserved, so no schema name can merge with one', () => {
  const host = ts.createCompilerHost({});
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language) =>
    fileName === '/probe.ts' ? ts.createSourceFile(fileName, 'export {};', language) : baseGetSourceFile(fileName, language);
  const program = ts.createProgram(['/probe.ts'], { lib: ['lib.es2023.d.ts'], types: [], noEmit: true }, host);
  const probe = program.getSourceFile('/probe.ts')!;
  const globals = program
    .getTypeChecker()
    .getSymbolsInScope(probe, ts.SymbolFlags.Type | ts.SymbolFlags.Namespace)
    .map((symbol) => symbol.name)
    .filter((name) => /^[A-Z]/.test(name));
  assert.ok(globals.length > 100);
  assert.deepEqual(globals.filter((name) => !isReservedTypeName(name)), []);
});

test('a $defs name that is a library global is prefixed with its tool name', () => {
  const text = printDeclarations([
    { path: ['cache'], description: '', inputSchema: { type: 'object', properties: { m: { $ref: '#/$defs/Map' } }, $defs: { Map: { type: 'object' } } } },
  ]);
  assert.match(text, /^interface CacheMap \{$/m);
  assert.match(text, /^ {2}cache\(input\?: \{ m\?: CacheMap \}\): Promise<unknown>;$/m);
});

test('hostile names yield only declarations: no statement, identifier or comment end escapes', () => {
  const entries: ToolEntry[] = [
    {
      path: [HOSTILE, `*/ globalThis.pwn = 3; /*`],
      description: `*/ globalThis.pwn = 4; /*`,
      inputSchema: {
        type: 'object',
        description: '*/ globalThis.pwn = 5; /*',
        properties: {
          [HOSTILE]: { type: 'string', description: '*/ globalThis.pwn = 6;', enum: [`"]; globalThis.pwn = 7; //`] },
          ref: { $ref: `#/$defs/*~1 globalThis.pwn = 8;` },
        },
        $defs: { [`*/ globalThis.pwn = 8;`]: { type: 'string', description: '*/ globalThis.pwn = 10;' } },
      },
    },
  ];
  const namespaces = [{ path: [HOSTILE], description: `a */ globalThis.pwn = 9; /*` }];
  const text = printDeclarations(entries, { namespaces });
  const source = ts.createSourceFile('codemode.d.ts', text, ts.ScriptTarget.ES2022, true);
  const kinds = source.statements.map((statement) => ts.isTypeAliasDeclaration(statement) ? 'type' : ts.isInterfaceDeclaration(statement) ? 'interface' : ts.isVariableStatement(statement) ? 'variable' : 'other');
  assert.deepEqual(kinds, ['type', 'interface', 'variable'], text);
  // Scan every token outside comments: `pwn` may only ever appear inside a string literal.
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.Identifier) assert.notEqual(scanner.getTokenText(), 'pwn', text);
    if (token === ts.SyntaxKind.Identifier) assert.notEqual(scanner.getTokenText(), 'globalThis', text);
  }
});
