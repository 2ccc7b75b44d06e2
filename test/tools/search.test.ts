import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodemodeError } from '../../src/errors.js';
import { DEFAULT_SEARCH_LIMIT, searchTools, words } from '../../src/tools/search.js';
import { printDeclarations, type ToolEntry } from '../../src/types/index.js';

function tool(path: string[], description: string, fields: string[]): ToolEntry {
  return {
    path,
    description,
    inputSchema: { type: 'object', properties: Object.fromEntries(fields.map((field) => [field, { type: 'string' }])), required: fields },
  };
}

const catalog: ToolEntry[] = [
  tool(['fs', 'readFile'], 'Reads a file from the data directory.', ['path', 'encoding']),
  tool(['fs', 'writeFile'], 'Writes text to a file.', ['path', 'content']),
  tool(['fs', 'listDirectory'], 'Lists the entries of a directory.', ['path', 'recursive']),
  tool(['http', 'fetch'], 'Fetches a URL over HTTP.', ['url', 'method', 'headers']),
  tool(['env', 'get'], 'Reads an environment variable.', ['name']),
  tool(['add'], 'Adds two numbers.', ['a', 'b']),
  tool(['readme'], 'Returns the project README.', []),
];

/** `name:score` of every hit, in rank order: one string shows the whole ranking. */
function ranking(query: string, limit?: number): string {
  return searchTools(catalog, query, { limit })
    .map((hit) => `${hit.name}:${hit.score}`)
    .join(' ');
}

test('an exact tool name ranks first, above tools that only share a word or a description word', () => {
  assert.equal(ranking('readFile'), 'fs.readFile:422 fs.writeFile:211 readme:211 env.get:101');
});

test('snake_case, kebab-case, spaced, upper-case and plural spellings find the same tool', () => {
  for (const query of ['read_file', 'read file', 'READ-FILE', 'read-files', 'read the file']) {
    assert.equal(ranking(query), 'fs.readFile:422 fs.writeFile:211 readme:211 env.get:101', query);
  }
  assert.equal(ranking('readfile'), 'fs.readFile:400');
});

test('the full dotted name is an exact match too', () => {
  assert.equal(searchTools(catalog, 'fs.readFile')[0]?.score, 433);
  assert.equal(searchTools(catalog, 'fs read file')[0]?.name, 'fs.readFile');
});

test('a name prefix ranks above a word in the description, and equal scores are ordered by name', () => {
  assert.equal(ranking('read'), 'fs.readFile:311 readme:311 env.get:101');
  assert.equal(ranking('env'), 'env.get:311');
});

test('a query word in the name ranks above the same word in a description', () => {
  assert.equal(ranking('directory'), 'fs.listDirectory:211 fs.readFile:101');
  assert.equal(ranking('dir'), 'fs.listDirectory:211 fs.readFile:101');
});

test('simple plurals match both ways', () => {
  assert.equal(ranking('files'), 'fs.readFile:211 fs.writeFile:211');
  assert.equal(ranking('directories'), 'fs.listDirectory:211 fs.readFile:101');
  assert.equal(ranking('entry'), 'fs.listDirectory:101');
  assert.equal(ranking('number'), 'add:101');
});

test('field names of the input schema are searched', () => {
  assert.equal(ranking('headers'), 'http.fetch:101');
  assert.equal(ranking('recursive'), 'fs.listDirectory:101');
});

test('every word of a multi-word query adds to the score', () => {
  assert.equal(ranking('write text file'), 'fs.writeFile:223 fs.readFile:211');
});

test('a query that matches nothing returns no hits', () => {
  assert.deepEqual(searchTools(catalog, 'zzz'), []);
});

test('an empty or blank query lists every tool by name, within the limit', () => {
  const all = 'add:0 env.get:0 fs.listDirectory:0 fs.readFile:0 fs.writeFile:0 http.fetch:0 readme:0';
  assert.equal(ranking(''), all);
  assert.equal(ranking('  \t'), all);
  assert.equal(ranking('', 2), 'add:0 env.get:0');
});

test('at most `limit` hits come back, ten by default', () => {
  const many = Array.from({ length: 15 }, (_, n) => tool([`tool${String(n).padStart(2, '0')}`], 'Does a thing.', []));
  assert.equal(DEFAULT_SEARCH_LIMIT, 10);
  assert.equal(searchTools(many, 'thing').length, 10);
  assert.equal(searchTools(many, 'thing', { limit: 3 }).map((hit) => hit.name).join(' '), 'tool00 tool01 tool02');
});

test('each hit carries the description and the declaration printed for that tool alone', () => {
  const [hit] = searchTools(catalog, 'readFile', { limit: 1 });
  assert.deepEqual(hit, {
    name: 'fs.readFile',
    description: 'Reads a file from the data directory.',
    score: 422,
    declaration: printDeclarations([catalog[0]!]),
  });
  assert.equal(
    hit.declaration,
    `declare const codemode: {
  fs: {
    /** Reads a file from the data directory. */
    readFile(input: { path: string; encoding: string }): Promise<unknown>;
  };
};
`,
  );
});

test('the ranking does not depend on the order of the catalog', () => {
  const reversed = [...catalog].reverse();
  for (const query of ['read', 'file', 'directory', '']) {
    assert.deepEqual(searchTools(reversed, query), searchTools(catalog, query), query);
  }
});

test('a query that is not a string or a limit that is not a positive integer throws INVALID_OPTION', () => {
  const invalid = (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_OPTION';
  assert.throws(() => searchTools(catalog, 42 as unknown as string), invalid);
  assert.throws(() => searchTools(catalog, 'read', { limit: 0 }), /expected `limit` to be a positive integer, got `0` \(number\)/);
  assert.throws(() => searchTools(catalog, 'read', { limit: 1.5 }), invalid);
});

test('an entry without a path throws INVALID_TOOL', () => {
  const broken = { description: 'x', inputSchema: {} } as unknown as ToolEntry;
  assert.throws(() => searchTools([broken], 'x'), (error: unknown) => error instanceof CodemodeError && error.code === 'INVALID_TOOL');
});

test('words splits camelCase, acronyms, digits, snake_case, kebab-case and dots into lower-case words', () => {
  assert.deepEqual(words('fs.readFile'), ['fs', 'read', 'file']);
  assert.deepEqual(words('HTTPServer_get-all2Items'), ['http', 'server', 'get', 'all2', 'items']);
  assert.deepEqual(words('Größe ändern'), ['größe', 'ändern']);
});
