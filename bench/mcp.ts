// The MCP `execute` round trip over stdio, as a client sees it: the real SDK client spawning the built CLI.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { time, type Figure } from './stats.js';

const CLI = new URL('../src/cli/main.js', import.meta.url).pathname;

export async function mcpExecuteRoundTrip(count: number): Promise<Figure> {
  const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], stderr: 'ignore' }));
  try {
    return await time(count, 20, async () => {
      const result = await client.callTool({ name: 'execute', arguments: { code: 'return 1' } });
      if (result.isError) throw new Error(`bench execute failed: ${JSON.stringify(result.content)}`);
    });
  } finally {
    await client.close();
  }
}
