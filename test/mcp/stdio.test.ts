// The built CLI as an MCP client launches it: `node dist/src/cli/main.js mcp --allow-read <dir> --search`,
// driven over stdio by the SDK's real client, against a real temp directory.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { execute, signal, stdioClient, tempDir } from './helpers.js';

const dir = tempDir({ 'notes.txt': 'first line\nsecond line\n', 'todo.txt': 'buy milk\n' });
let client: Client;

before(async () => {
  client = await stdioClient(['--allow-read', '.', '--search', '--timeout', '20000'], dir.path);
});
after(async () => {
  await client.close();
  dir.remove();
});

describe('codemode mcp over stdio', () => {
  test('lists execute and search; the description has the rules, the time limit and the fs API', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['execute', 'search']);
    const description = tools[0]!.description!;
    assert.match(description, /- Time limit: 20000 ms per run\./);
    assert.match(description, /readFile\(input: FsReadFileInput\): Promise<FsReadFileOutput>;/);
    assert.match(description, /Files under \. \(read-only\)/);
  });

  test('code reads the allowed directory through codemode.fs', async () => {
    const result = await execute(client, `
      const { entries } = await codemode.fs.readDir({ path: '.' });
      const texts = await Promise.all(entries.map((entry) => codemode.fs.readFile({ path: entry.name })));
      return Object.fromEntries(entries.map((entry, i) => [entry.name, texts[i].split('\\n').length - 1]));`);
    assert.equal(result.text, 'Result: {"notes.txt":2,"todo.txt":1}');
  });

  test('a path outside the allowed directory is denied, and the code can catch it', async () => {
    const result = await execute(client, 'try { await codemode.fs.readFile({ path: "/etc/hostname" }) } catch (e) { return e.kind }');
    assert.equal(result.text, 'Result: "denied"');
    const uncaught = await execute(client, 'return await codemode.fs.readFile({ path: "/etc/hostname" })');
    assert.equal(uncaught.isError, true);
    assert.match(uncaught.text, /^Error \(denied\) at line 1: /);
  });

  test('a runtime error names the line and shows the frame', async () => {
    const result = await execute(client, 'const files = await codemode.fs.readDir({ path: "." });\nreturn files.entries[5].name;');
    assert.equal(result.isError, true);
    assert.match(result.text, /^Error \(runtime\) at line 2: TypeError: Cannot read properties of undefined \(reading 'name'\)\n/);
    assert.match(result.text, /> 2 \| return files\.entries\[5\]\.name;/);
  });

  test('search finds fs tools by what they do', async () => {
    const found = await client.callTool({ name: 'search', arguments: { query: 'list directory', limit: 1 } });
    assert.deepEqual((found.structuredContent as { tools: Array<{ name: string }> }).tools.map((tool) => tool.name), ['fs.readDir']);
  });

  test('a cancelled call ends its run, concurrent calls are unaffected, and the next call works', async () => {
    const started = signal();
    const abort = new AbortController();
    const spinning = execute(client, 'console.log("go"); await codemode.fs.stat({ path: "." }); while (true) {}', {}, { signal: abort.signal, onprogress: () => started.resolve() });
    spinning.catch(() => {});
    await started.promise;
    const others = await Promise.all([1, 2, 3].map((n) => execute(client, `return ${n} * 2`)));
    assert.deepEqual(others.map((result) => result.text), ['Result: 2', 'Result: 4', 'Result: 6']);
    abort.abort();
    await assert.rejects(spinning);
    assert.equal((await execute(client, 'return "next"')).text, 'Result: "next"');
  });
});
