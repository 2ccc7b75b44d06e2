// `codemode workflows add FILE`, spawned as a user runs it, on a real folder: the same type check as
// saving from the host, against the capabilities of --config; the name from the file, the description from
// its leading comment, or both from flags.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FileStorage, Workflows } from '../../src/storage/index.js';
import { leadingComment } from '../../src/cli/storage.js';
import { CLI, launch, tempDir } from '../mcp/helpers.js';

const READ_LINES = `/**
 * Counts the lines of a text file.
 *
 * @param input.path where the file is
 */
async function run(input: { path: string }): Promise<number> {
  const text = await codemode.fs.readFile({ path: input.path });
  return text.split('\\n').length;
}
`;

describe('codemode workflows add', () => {
  const dir = tempDir({ 'countLines.ts': READ_LINES, 'config.json': JSON.stringify({ allowRead: ['.'] }), 'notes.txt': 'a\nb\n' });
  after(() => dir.remove());
  const cli = (...args: string[]) => launch(CLI, ['workflows', ...args], { cwd: dir.path, input: '' });
  const stored = () => new Workflows(new FileStorage({ dir: join(dir.path, '.codemode') }));

  test('checks FILE against the capabilities of --config and saves it, named after the file, described by its comment', async () => {
    const outcome = await cli('add', 'countLines.ts', '--config', 'config.json');
    assert.equal(outcome.code, 0, outcome.stderr);
    assert.match(outcome.stdout, /^saved workflow countLines \(version \d+\) in file:.*\.codemode\n$/);
    const record = await stored().get({ name: 'countLines' });
    assert.equal(record?.description, 'Counts the lines of a text file.');
    assert.equal(record?.code, READ_LINES);
    const listed = await cli('list');
    assert.match(listed.stdout, /\ncountLines +\d+ +\d{4}-.* +Counts the lines of a text file\.\n$/);
  });

  test('without the capability it calls, the file is refused with its type errors at lines of the file', async () => {
    const outcome = await cli('add', 'countLines.ts', '--name', 'countLinesAgain');
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /^codemode: countLines\.ts does not compile, so it was not saved:\ncountLines\.ts:7:31 TS2339: Property 'fs' does not exist on type/);
    assert.equal(await stored().get({ name: 'countLinesAgain' }), undefined);
  });

  test('--name and --description replace what the file says; a file name that is no identifier needs --name', async () => {
    writeFileSync(join(dir.path, 'add-one.js'), 'async function run(input) {\n  return input.n + 1;\n}\n');
    const unnamed = await cli('add', 'add-one.js', '--description', 'Adds one.');
    assert.equal(unnamed.code, 2);
    assert.equal(unnamed.stderr, 'codemode: "add-one" (from the file name) is not a workflow name; give one with --name, e.g. --name addOne\n');
    const undescribed = await cli('add', 'add-one.js', '--name', 'addOne');
    assert.equal(undescribed.stderr, 'codemode: add-one.js starts with no comment to describe it; give one line with --description TEXT\n');
    const saved = await cli('add', 'add-one.js', '--name', 'addOne', '--description', 'Adds one.');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal((await stored().get({ name: 'addOne' }))?.description, 'Adds one.');
    assert.match((await cli('list', '--name', 'x')).stderr, /--name goes with workflows add only/);
  });

  test('the leading comment is the first paragraph of a block or of // lines, as one line', () => {
    assert.equal(leadingComment('// Sums rows\n// of a table.\n\n// not this\nasync function run() {}'), 'Sums rows of a table.');
    assert.equal(leadingComment('#!/usr/bin/env node\n/* One. */ async function run() {}'), 'One.');
    assert.equal(leadingComment('/**\n * First line\n * second line.\n *\n * More.\n */'), 'First line second line.');
    assert.equal(leadingComment('async function run() {} // late'), undefined);
  });
});
