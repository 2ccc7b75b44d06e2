// Modules through the MCP server and the CLI, as a client and a user reach them: `codemode mcp --module`
// with the SDK's real Client over stdio, `codemode run --module`, and `modules` in a config file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CLI, execute, launch, stdioClient } from '../mcp/helpers.js';
import { executeDescription, modulesRule } from '../../src/mcp/describe.js';
import { fixtureProject, REPO_ROOT } from './helpers.js';

const data = mkdtempSync(join(tmpdir(), 'codemode-modules-mcp-'));
writeFileSync(join(data, 'visits.csv'), 'page,day\n/home,2026-02-01\n/docs,2026-02-03\n/home,2026-02-03\n');
after(() => rmSync(data, { recursive: true, force: true }));

describe('codemode mcp --module', () => {
  let client: Client;
  before(async () => {
    client = await stdioClient(['--module', 'papaparse', '--module', 'date-fns', '--allow-read', data, '--search'], REPO_ROOT);
  });
  after(() => client?.close());

  test("execute's description lists the modules by name and version", async () => {
    const { tools } = await client.listTools();
    const description = tools.find((tool) => tool.name === 'execute')!.description!;
    assert.match(description, /\n- Modules you can import \(`import … from 'papaparse'`\): papaparse \d+\.\d+\.\d+, date-fns \d+\.\d+\.\d+\. `search` gives their exports\.\n/);
  });

  test('execute runs code that imports them: CSV read through codemode.fs, dates formatted', async () => {
    const code = [
      "import Papa from 'papaparse';",
      "import { format, parseISO } from 'date-fns';",
      "const csv = await codemode.fs.readFile({ path: 'visits.csv' });",
      'const rows = Papa.parse(csv, { header: true, skipEmptyLines: true }).data;',
      "return rows.filter((row) => row.page === '/home').map((row) => format(parseISO(row.day), 'EEE d MMM'));",
    ].join('\n');
    const result = await execute(client, code);
    assert.equal(result.isError, false, result.text);
    assert.deepEqual(result.structured['value'], ['Sun 1 Feb', 'Tue 3 Feb']);
  });

  test('an import of another package is an error whose hint lists the modules', async () => {
    const result = await execute(client, "import _ from 'lodash';\nreturn _.chunk([1, 2], 1);");
    assert.equal(result.isError, true);
    assert.match(result.text, /import is not available for "lodash": it is not one of the modules here/);
    assert.match(result.text, /The modules you can import: papaparse, date-fns\./);
  });

  test("search finds a module by an export's name, with the matching exports first", async () => {
    const result = await client.callTool({ name: 'search', arguments: { query: 'formatDistance' } });
    const text = (result.content as Array<{ type: string; text: string }>)[0]!.text;
    assert.match(text, /\n\/\/ module date-fns \d+\.\d+\.\d+: import \{ formatDistance, formatDistanceStrict \} from 'date-fns'\n/);
  });
});

describe('modules in the CLI', () => {
  const project = fixtureProject({
    'tiny-stats': 'export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;',
    'reads-files': "import { readFileSync } from 'node:fs';\nexport const read = (path) => readFileSync(path, 'utf8');",
  });
  after(() => project.cleanup());

  test('codemode run --config finds the modules a config file names from its own folder', async () => {
    const config = join(project.root, 'codemode.json');
    writeFileSync(config, JSON.stringify({ modules: ['tiny-stats'] }));
    const outcome = await launch(CLI, ['run', '-', '--config', config], { input: "import { mean } from 'tiny-stats';\nreturn mean([1, 2, 6]);", cwd: tmpdir() });
    assert.deepEqual(outcome, { code: 0, stdout: '3\n', stderr: '' });
  });

  test('a module that needs Node is a usage error that says what it needs', async () => {
    const outcome = await launch(CLI, ['run', '-', '--module', 'reads-files'], { input: 'return 1', cwd: project.root });
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /^codemode: module "reads-files" needs the Node built-in "fs", which the sandbox does not have/);
  });

  test('a package that is not installed, or a name that is no package name, is a usage error', async () => {
    const missing = await launch(CLI, ['run', '-', '--module', 'left-pad'], { input: 'return 1', cwd: project.root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^codemode: module "left-pad" is not installed in /);
    const bad = await launch(CLI, ['run', '-', '--module', '../x'], { input: 'return 1', cwd: project.root });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^codemode: expected `--module` to be an npm package name/);
  });
});

describe('the modules line of the execute description', () => {
  test('is one short line, and absent without modules', () => {
    assert.equal(modulesRule([{ name: 'papaparse', version: '5.7.1' }]), "- Modules you can import (`import … from 'papaparse'`): papaparse 5.7.1.");
    assert.equal(modulesRule([{ name: 'a', version: '1.0.0' }], true), "- Modules you can import (`import … from 'a'`): a 1.0.0. `search` gives their exports.");
    const input = { declarations: 'declare const codemode: {};\n', names: ['x'], timeoutMs: 5000, search: false, inlineDeclarationChars: 10 };
    assert.equal(executeDescription({ ...input, modules: [] }), executeDescription(input));
    assert.doesNotMatch(executeDescription(input), /Modules/);
  });
});
