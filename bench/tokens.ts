// What the model reads when codemode fronts MCP servers, in o200k tokens (gpt-tokenizer, which ships its
// encodings in the npm package, so this runs offline): the three reference servers' own `tools/list` (the
// floor: what a client would otherwise hand the model), the declarations of those 36 tools, and our fixed
// surface (the `execute` and `search` definitions from our own `tools/list`).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { Executor } from '../src/index.js';
import { CodeModeServer, McpToolSource, type ServerConfig } from '../src/mcp/index.js';

const require = createRequire(import.meta.url);

export interface TokenFigures {
  tools: number;
  upstreamToolsList: number;
  declarations: number;
  fixedSurface: number;
}

export function tokens(text: string): number {
  return encode(text).length;
}

export async function upstreamTokens(): Promise<TokenFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-'));
  const bin = (name: string) => require.resolve(`@modelcontextprotocol/server-${name}/dist/index.js`);
  const servers: Record<string, ServerConfig> = {
    everything: { command: process.execPath, args: [bin('everything'), 'stdio'] },
    filesystem: { command: process.execPath, args: [bin('filesystem'), dir] },
    memory: { command: process.execPath, args: [bin('memory')], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
  };
  const source = new McpToolSource({ servers });
  try {
    // The floor: each server's own tools/list result, as JSON, the way a client passes it on.
    let upstreamToolsList = 0;
    let tools = 0;
    for (const config of Object.values(servers) as { command: string; args: string[]; env?: Record<string, string> }[]) {
      const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: config.command, args: config.args, ...(config.env ? { env: config.env } : {}), stderr: 'ignore' }));
      const list = await client.listTools();
      upstreamToolsList += tokens(JSON.stringify(list));
      tools += list.tools.length;
      await client.close();
    }
    await source.start();
    const executor = new Executor({ capabilities: source.capabilities(), minProcesses: 0 });
    const declarations = tokens(executor.declarations());
    await executor.close();

    const server = new CodeModeServer({ sources: [source], enableSearch: true, minProcesses: 0 });
    const [ours, theirs] = InMemoryTransport.createLinkedPair();
    await server.connect(ours);
    const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
    await client.connect(theirs);
    const fixedSurface = tokens(JSON.stringify(await client.listTools()));
    await client.close();
    await server.close();
    return { tools, upstreamToolsList, declarations, fixedSurface };
  } finally {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
