// `execute` over MCP HTTP under load against the library doing the same work: 100 sessions of the SDK's
// real client each send 5 `execute` calls (read a file through codemode.fs, return a value), all 500 at
// once, to a server in its own process; then the same 500 runs through `executor.run` in a process of its
// own (100 tenants × 5, all at once), with the same tools. Both figures are runs per second of wall time.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FsCapability } from '../capabilities/index.js';
import { Executor } from '../src/index.js';
import { CodeModeServer } from '../src/mcp/index.js';
import { summarize, type Figure } from './stats.js';

const SESSIONS = 100;
const CALLS_PER_SESSION = 5;
const CODE = "const text = await codemode.fs.readFile({ path: 'data.json' }); return JSON.parse(text).items.length";
const CALL_TIMEOUT_MS = 600_000;

export interface HttpLoadFigures {
  /** `execute` calls per second over MCP HTTP. */
  mcpRunsPerSecond: number;
  /** Latency of one call, submitted with the 499 others. */
  mcpLatency: Figure;
  /** `executor.run` per second for the same code and tools. */
  libraryRunsPerSecond: number;
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-'));
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => ({ id: i })) }));
  return dir;
}

async function serve(dir: string): Promise<void> {
  const server = new CodeModeServer({ capabilities: [new FsCapability({ allowedPaths: [dir] })] });
  const http = await server.serveHttp({ port: 0, maxConnections: 1024 });
  await server.warmup();
  process.send!({ url: http.url });
}

async function library(dir: string): Promise<void> {
  const executor = new Executor({ capabilities: [new FsCapability({ allowedPaths: [dir] })] });
  await executor.warmup();
  for (let i = 0; i < 20; i++) await executor.run(CODE);
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: SESSIONS * CALLS_PER_SESSION }, (_, i) => executor.run(CODE, { tenant: `t${i % SESSIONS}` })));
  const seconds = (performance.now() - start) / 1000;
  if (results.some((result) => !result.ok || result.value !== 100)) throw new Error('bench: a library run failed');
  await executor.close();
  process.send!({ runsPerSecond: results.length / seconds });
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function execute(client: Client): Promise<CallToolResult> {
  return (await client.callTool({ name: 'execute', arguments: { code: CODE } }, undefined, { timeout: CALL_TIMEOUT_MS })) as CallToolResult;
}

function child<T>(role: string, dir: string): { message: Promise<T>; kill(): void } {
  const process = fork(fileURLToPath(import.meta.url), [role, dir], { execArgv: ['--no-node-snapshot'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return { message: new Promise<T>((resolve) => process.once('message', (m) => resolve(m as T))), kill: () => process.kill() };
}

export async function httpLoad(): Promise<HttpLoadFigures> {
  const dir = dataDir();
  try {
    const server = child<{ url: string }>('server', dir);
    let mcpRunsPerSecond: number;
    let mcpLatency: Figure;
    try {
      const { url } = await server.message;
      const clients: Client[] = [];
      while (clients.length < SESSIONS) clients.push(...(await Promise.all(Array.from({ length: 10 }, () => connect(url)))));
      for (const client of clients.slice(0, 20)) await execute(client);
      const latencies: number[] = [];
      const start = performance.now();
      await Promise.all(
        clients.flatMap((client) =>
          Array.from({ length: CALLS_PER_SESSION }, async () => {
            const submitted = performance.now();
            const result = await execute(client);
            if (result.isError || (result.structuredContent as { value?: unknown } | undefined)?.value !== 100) throw new Error(`bench: an execute failed: ${JSON.stringify(result.content)}`);
            latencies.push(performance.now() - submitted);
          }),
        ),
      );
      mcpRunsPerSecond = latencies.length / ((performance.now() - start) / 1000);
      mcpLatency = summarize(latencies);
      await Promise.all(clients.map((client) => client.close()));
    } finally {
      server.kill();
    }
    const lib = child<{ runsPerSecond: number }>('library', dir);
    try {
      const { runsPerSecond } = await lib.message;
      return { mcpRunsPerSecond, mcpLatency, libraryRunsPerSecond: runsPerSecond };
    } finally {
      lib.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'server') await serve(process.argv[3]!);
else if (process.argv[2] === 'library') await library(process.argv[3]!);
