import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodemodeError } from '../../src/errors.js';
import { printDeclarations, type ToolEntry } from '../../src/types/index.js';
import { exampleCatalog } from './fixtures.js';


test('prints documented types by name and short plain ones inline, then codemode with tools and namespaces', () => {
  const { entries, namespaces } = exampleCatalog();
  assert.equal(
    printDeclarations(entries, { namespaces }),
    `interface FsReadFileInput {
  /** Relative to ./data. */
  path: string;
  /** @default "utf8" */
  encoding?: "utf8" | "base64";
}

declare const codemode: {
  /** Adds two numbers. */
  add(input: { a: number; b: number }): Promise<{ sum: number }>;
  /** Files under ./data. */
  fs: {
    /** Reads a file. */
    readFile(input: FsReadFileInput): Promise<string>;
  };
};
`,
  );
});

test('the same entries always print byte-identical text, even from fresh copies', () => {
  const { entries, namespaces } = exampleCatalog();
  const first = printDeclarations(entries, { namespaces });
  assert.equal(printDeclarations(entries, { namespaces }), first);
  assert.equal(printDeclarations(structuredClone(entries), { namespaces: structuredClone(namespaces) }), first);
  assert.equal(printDeclarations(exampleCatalog().entries, { namespaces }), first);
});

test('a tool without an output schema returns Promise<unknown>, and short plain types stay inline', () => {
  const entries: ToolEntry[] = [
    { path: ['ping'], description: 'Checks the host is alive.', inputSchema: { type: 'object', properties: {} } },
    { path: ['count'], description: '', inputSchema: { type: 'string' }, outputSchema: { type: 'number' } },
    { path: ['pick'], description: '', inputSchema: { enum: ['a', 'b'] }, outputSchema: { type: 'array', items: { type: ['string', 'null'] } } },
  ];
  assert.equal(
    printDeclarations(entries),
    `declare const codemode: {
  /** Checks the host is alive. */
  ping(input?: {}): Promise<unknown>;
  count(input: string): Promise<number>;
  pick(input: "a" | "b"): Promise<(string | null)[]>;
};
`,
  );
});

test('a plain root type with a description or a tag is named, so its JSDoc has a place', () => {
  const entries: ToolEntry[] = [
    { path: ['count'], description: '', inputSchema: { type: 'string', description: 'A glob.' }, outputSchema: { type: 'integer' } },
  ];
  assert.equal(
    printDeclarations(entries),
    `/** A glob. */
type CountInput = string;

/** @integer */
type CountOutput = number;

declare const codemode: {
  count(input: CountInput): Promise<CountOutput>;
};
`,
  );
});

test('an empty catalog prints an empty codemode object', () => {
  assert.equal(printDeclarations([]), 'declare const codemode: {};\n');
});

test('deeper paths nest namespaces, and each namespace description sits on its own object type', () => {
  const entries: ToolEntry[] = [
    { path: ['cloud', 'storage', 'get'], description: 'Gets an object.', inputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] } },
    { path: ['cloud', 'ping'], description: '', inputSchema: { type: 'object', properties: {} } },
  ];
  const namespaces = [
    { path: ['cloud'], description: 'The cloud account.' },
    { path: ['cloud', 'storage'], description: 'Buckets.' },
    { path: ['unused'], description: 'No tool is here, so this is not printed.' },
  ];
  assert.equal(
    printDeclarations(entries, { namespaces }),
    `declare const codemode: {
  /** The cloud account. */
  cloud: {
    /** Buckets. */
    storage: {
      /** Gets an object. */
      get(input: { key: string }): Promise<unknown>;
    };
    ping(input?: {}): Promise<unknown>;
  };
};
`,
  );
});

test('tools whose names sanitize to the same type name get numbered type names', () => {
  const object = { type: 'object', properties: { x: { type: 'number', description: 'X.' } } } as const;
  const text = printDeclarations([
    { path: ['read_file'], description: '', inputSchema: object },
    { path: ['readFile'], description: '', inputSchema: object, outputSchema: object },
  ]);
  assert.match(text, /^interface ReadFileInput \{/m);
  assert.match(text, /^interface ReadFile2Input \{/m);
  assert.match(text, /^interface ReadFile2Output \{/m);
  assert.match(text, /^ {2}read_file\(input\?: ReadFileInput\): Promise<unknown>;$/m);
  assert.match(text, /^ {2}readFile\(input\?: ReadFile2Input\): Promise<ReadFile2Output>;$/m);
});

test('a multi-line tool description becomes a multi-line JSDoc block', () => {
  const text = printDeclarations([{ path: ['t'], description: 'First line.\nSecond line.', inputSchema: { type: 'object', properties: {} } }]);
  assert.equal(text, 'declare const codemode: {\n  /**\n   * First line.\n   * Second line.\n   */\n  t(input?: {}): Promise<unknown>;\n};\n');
});

test('two tools at one path, or a tool where a namespace is, throw DUPLICATE_TOOL', () => {
  const schema = { type: 'object' } as const;
  const duplicate = (error: unknown) => error instanceof CodemodeError && error.code === 'DUPLICATE_TOOL';
  assert.throws(
    () => printDeclarations([{ path: ['fs', 'read'], description: '', inputSchema: schema }, { path: ['fs', 'read'], description: '', inputSchema: schema }]),
    duplicate,
  );
  assert.throws(
    () => printDeclarations([{ path: ['fs'], description: '', inputSchema: schema }, { path: ['fs', 'read'], description: '', inputSchema: schema }]),
    /tool "fs\.read": "fs" is already a tool, so it cannot also be a namespace/,
  );
  assert.throws(
    () => printDeclarations([{ path: ['fs', 'read'], description: '', inputSchema: schema }, { path: ['fs'], description: '', inputSchema: schema }]),
    duplicate,
  );
});

test('an entry of the wrong shape throws INVALID_TOOL naming what is wrong', () => {
  const bad = (entry: unknown) => () => printDeclarations([entry as ToolEntry]);
  assert.throws(bad({ path: [], description: '', inputSchema: {} }), /tool entry 0: expected `path` to be a non-empty array of non-empty strings, got an array/);
  assert.throws(bad({ path: ['a', ''], description: '', inputSchema: {} }), /expected `path` to be a non-empty array/);
  assert.throws(bad({ path: ['a'], description: 5, inputSchema: {} }), /tool "a": expected `description` to be a string, got `5` \(number\)/);
  assert.throws(bad({ path: ['a'], description: '', inputSchema: 'string' }), /tool "a": expected `inputSchema` to be a JSON Schema \(an object or a boolean\), got `"string"` \(string\)/);
  assert.throws(bad({ path: ['a'], description: '', inputSchema: {}, outputSchema: [] }), /expected `outputSchema` to be a JSON Schema/);
  assert.throws(bad(null), (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_TOOL');
});

test('namespace descriptions of the wrong shape throw INVALID_OPTION', () => {
  const entries: ToolEntry[] = [{ path: ['a'], description: '', inputSchema: {} }];
  const invalid = (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION';
  assert.throws(() => printDeclarations(entries, { namespaces: {} as never }), invalid);
  assert.throws(() => printDeclarations(entries, { namespaces: [{ path: 'a', description: '' } as never] }), invalid);
});

test('an input with no required fields may be left out; one with a required field may not', () => {
  const text = printDeclarations([
    { path: ['list'], description: 'Lists.', inputSchema: { type: 'object', properties: { limit: { type: 'number' } } } },
    { path: ['get'], description: 'Gets.', inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
  ]);
  assert.match(text, /^ {2}list\(input\?: \{ limit\?: number \}\): Promise<unknown>;$/m);
  assert.match(text, /^ {2}get\(input: \{ id: string \}\): Promise<unknown>;$/m);
});

test('an input or output type is inline up to 3 properties on one line of 60 characters; more, wider or documented is named', () => {
  const string = { type: 'string' } as const;
  const text = printDeclarations([
    { path: ['three'], description: '', inputSchema: { type: 'object', properties: { a: string, b: string, c: string }, required: ['a'] } },
    { path: ['four'], description: '', inputSchema: { type: 'object', properties: { a: string, b: string, c: string, d: string }, required: ['a'] } },
    { path: ['nested'], description: '', inputSchema: { type: 'object', properties: { a: { type: 'object', properties: { b: string, c: string, d: string } } } } },
    { path: ['wide'], description: '', inputSchema: { type: 'object', properties: { aVeryLongPropertyName: string, anotherVeryLongPropertyName: string } } },
    { path: ['documented'], description: '', inputSchema: { type: 'object', properties: { a: { type: 'string', description: 'A.' } } } },
  ]);
  assert.match(text, /^ {2}three\(input: \{ a: string; b\?: string; c\?: string \}\): Promise<unknown>;$/m);
  for (const name of ['Four', 'Nested', 'Wide', 'Documented']) assert.match(text, new RegExp(`^interface ${name}Input \\{`, 'm'));
});
