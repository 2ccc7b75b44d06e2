// `codemode mcp --servers mcp.json`, spawned as an MCP client launches it, with the real SDK Client in
// front and the real memory server behind; and a broken mcp.json as a one-line usage error.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CLI, execute, stdioClient, tempDir } from '../mcp/helpers.js';
import { referenceServers } from './helpers.js';

const dir = tempDir({});
writeFileSync(join(dir.path, 'mcp.json'), JSON.stringify({ mcpServers: { memory: referenceServers(dir.path).memory }, policy: { 'memory.read_graph': 'hide' } }));
writeFileSync(join(dir.path, 'typo.json'), JSON.stringify({ mcpServers: { memory: { comand: 'x' } } }));
after(() => dir.remove());

describe('codemode mcp --servers', () => {
  test('serves the upstream tools as codemode.<server>.<tool>, with search and the policy applied', async () => {
    const client = await stdioClient(['--servers', 'mcp.json'], dir.path);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['execute', 'search']);
      // One small server's API fits in the description whole (a long one is listed by namespace).
      const description = tools.find((tool) => tool.name === 'execute')!.description!;
      assert.match(description, /\n  memory: \{\n[^]*\n    create_entities\(input: MemoryCreateEntitiesInput\): Promise<MemoryCreateEntitiesOutput>;/);
      assert.doesNotMatch(description, /read_graph/);
      const result = await execute(client, `await codemode.memory.create_entities({ entities: [{ name: 'Ada', entityType: 'person', observations: [] }] }); return (await codemode.memory.open_nodes({ names: ['Ada'] })).entities[0].entityType`);
      assert.equal(result.structured.value, 'person');
      const hidden = await execute(client, `return 'read_graph' in codemode.memory`);
      assert.equal(hidden.structured.value, false);
    } finally {
      await client.close();
    }
  });

  test('a mistake in the servers file is one line on stderr and exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--servers', 'typo.json'], { cwd: dir.path });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 2);
    assert.equal(stderr, 'codemode: --servers server "memory": expected either `command` (stdio) or `url` (streamable HTTP), got neither\n');
  });
});
