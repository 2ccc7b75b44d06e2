// The execute and search descriptions are what a model reads before it writes code: their exact rules,
// the API or the catalog of names, and their size for a small tool set.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FsCapability } from '../../capabilities/index.js';
import { CodeModeServer } from '../../src/mcp/index.js';
import { executeDescription, usesCatalog } from '../../src/mcp/describe.js';
import { getWeather, ping, tempDir } from './helpers.js';

const RULES = [
  "Run JavaScript that calls this host's tools, and get back what it returns. Do all the steps of a task in one run.",
  '- Send a function body (top-level await; `return` gives the result) or one async arrow function. TypeScript is fine.',
  '- Call tools as `await codemode.<name>(input)`; run independent calls at once with `Promise.all`.',
  "- A rejected call is an Error with `e.kind` ('denied', 'host', 'invalid_input', ...); catch it to adapt.",
  '- console.log output is returned with the result.',
  '- Each run starts fresh: variables do not persist between runs.',
  '- Only standard JavaScript: no fetch, require, process or timers; reach the outside only through `codemode`.',
  '- Time limit: 5000 ms per run.',
].join('\n');

const dir = tempDir({ 'a.txt': 'a' });
after(() => dir.remove());

describe('execute description', () => {
  test('is the rules, then the declarations in a ts fence', () => {
    const text = executeDescription({ declarations: 'declare const codemode: {};\n', names: ['x'], timeoutMs: 5000, search: false, inlineDeclarationChars: 10 });
    assert.equal(text, `${RULES}\n\nAPI:\n\`\`\`ts\ndeclare const codemode: {};\n\`\`\``);
  });

  test('with search and a long API, lists only the names and points to search', () => {
    const input = { declarations: 'x'.repeat(11), names: ['getWeather', 'fs.readFile'], timeoutMs: 5000, search: true, inlineDeclarationChars: 10 };
    assert.equal(usesCatalog(input), true);
    assert.equal(executeDescription(input), `${RULES}\n\nTools (use \`search\` to get their types before calling them):\ngetWeather, fs.readFile`);
    assert.equal(usesCatalog({ ...input, search: false }), false, 'without search the model must get the full API');
  });

  test('says so when there is no tool at all', () => {
    assert.match(executeDescription({ declarations: '', names: [], timeoutMs: 5000, search: false, inlineDeclarationChars: 10 }), /\n\nNo tools are available: `codemode` is empty\.$/);
  });

  test("the README's getWeather tool plus read-only fs stays under 6,000 characters", async () => {
    const server = new CodeModeServer({ tools: [getWeather], capabilities: [new FsCapability({ allowedPaths: [dir.path] })], timeoutMs: 5000 });
    try {
      const text = server.executeDescription();
      assert.ok(text.startsWith(RULES), 'starts with the rules');
      assert.match(text, /getWeather\(input: \{ city: string \}\): Promise<\{ city: string; celsius: number \}>;/);
      assert.match(text, /readFile\(input: FsReadFileInput\): Promise<FsReadFileOutput>;/);
      assert.ok(text.length < 6_000, `${text.length} characters`);
    } finally {
      await server.close();
    }
  });

  test('a server with search and a small inline budget sends the catalog', async () => {
    const server = new CodeModeServer({ tools: [getWeather, ping], enableSearch: true, inlineDeclarationChars: 0 });
    try {
      assert.match(server.executeDescription(), /\nTools \(use `search` to get their types before calling them\):\ngetWeather, ping$/);
    } finally {
      await server.close();
    }
  });
});
