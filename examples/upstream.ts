// Code mode in front of MCP servers you already run: each server's tools become `codemode.<server>.<tool>`,
// typed from their own JSON Schema, and one script calls several of them at once. The servers here are the
// reference servers from npm (dev dependencies of this repository), started over stdio.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Executor } from 'codemode';
import { McpToolSource } from 'codemode/mcp';

const bin = (name: string) => createRequire(import.meta.url).resolve(`@modelcontextprotocol/server-${name}/dist/index.js`);
const dir = mkdtempSync(join(tmpdir(), 'codemode-upstream-'));
writeFileSync(join(dir, 'team.txt'), 'Ada\nGrace\n');

// The `mcpServers` map of any MCP client config (`McpToolSource.fromFile('mcp.json')` reads one).
const source = new McpToolSource({
  servers: {
    filesystem: { command: process.execPath, args: [bin('filesystem'), dir] },
    memory: { command: process.execPath, args: [bin('memory')], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
  },
});
await source.start();
const executor = new Executor({ capabilities: source.capabilities() });
try {
  const result = await executor.run(`
    const { content } = await codemode.filesystem.read_text_file({ path: ${JSON.stringify(join(dir, 'team.txt'))} });
    const names = content.trim().split('\\n');
    await codemode.memory.create_entities({ entities: names.map((name) => ({ name, entityType: 'person', observations: ['on the team'] })) });
    const graph = await codemode.memory.read_graph();
    return graph.entities.map((entity) => entity.name);
  `);
  console.log(result.ok ? result.value : result.error);
} finally {
  await executor.close();
  await source.close();
  rmSync(dir, { recursive: true, force: true });
}
