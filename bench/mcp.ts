// The MCP server as a client sees it, the real SDK client spawning the built CLI: the `execute` round trip
// over stdio, and the start-up a person waits for (launch to `tools/list`, launch to the first answer).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { spawn } from 'node:child_process';
import { summarize, time, type Figure } from './stats.js';

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

export interface StartupFigures {
  /** From spawning `codemode mcp` to the `tools/list` answer (handshake included). */
  toolsList: Figure;
  /** From spawning `codemode mcp` to the first `execute('return 1')` answer. */
  firstExecute: Figure;
  /** Floor: from spawning a bare `node` to its first byte on stdout. */
  bareNode: Figure;
}

/** What a person waits for when a client launches the server: `count` fresh launches, one after another. */
export async function mcpStartup(count: number): Promise<StartupFigures> {
  const toolsList: number[] = [];
  const firstExecute: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp'], stderr: 'ignore' }));
      await client.listTools();
      toolsList.push(performance.now() - start);
      const result = await client.callTool({ name: 'execute', arguments: { code: 'return 1' } });
      if (result.isError) throw new Error(`bench execute failed: ${JSON.stringify(result.content)}`);
      firstExecute.push(performance.now() - start);
    } finally {
      await client.close();
    }
  }
  const bareNode = await time(count, 1, () => firstByte(process.execPath, ['-e', 'process.stdout.write("x")']));
  return { toolsList: summarize(toolsList), firstExecute: summarize(firstExecute), bareNode };
}

function firstByte(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.once('error', reject);
    child.stdout.once('data', () => resolve());
  });
}
