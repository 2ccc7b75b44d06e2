// `codemode mcp` launched over stdio the way an MCP client config launches it, driven by the SDK's real Client.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, tempDir } from './helpers.mjs';

const dir = tempDir({ 'todo.txt': 'buy milk\ncall mum\n' });
const client = new Client({ name: 'codemode-smoke', version: '1.0.0' });

before(async () => {
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--allow-read', dir.path], stderr: 'ignore' }));
});
after(async () => {
  await client.close();
  dir.remove();
});

describe(`codemode mcp on Node ${process.version}`, () => {
  test('lists the execute tool', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), ['execute']);
  });

  test('execute runs code that reads through codemode.fs', async () => {
    const result = await client.callTool({ name: 'execute', arguments: { code: 'const text = await codemode.fs.readFile({ path: "todo.txt" }); return text.trim().split("\\n")' } });
    assert.notEqual(result.isError, true);
    assert.deepEqual(result.structuredContent, { ok: true, value: ['buy milk', 'call mum'], logs: [] });
  });

  test('execute reports a read outside the allowed paths as denied', async () => {
    const result = await client.callTool({ name: 'execute', arguments: { code: 'return await codemode.fs.readFile({ path: "/etc/passwd" })' } });
    assert.equal(result.isError, true);
    assert.match(result.content[0].text, /^Error \(denied\) at line 1: /);
  });
});
