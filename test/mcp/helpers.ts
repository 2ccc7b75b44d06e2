// Shared by the MCP suites: real SDK clients over streamable HTTP and stdio, the tools the suites call,
// and small readers for tool results. Not a test file itself (no `.test.` in its name).
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineTool } from '../../src/index.js';

/** The built CLI, as `npx codemode` runs it. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

export const getWeather = defineTool({
  name: 'getWeather',
  description: 'Current temperature in °C for a city.',
  input: z.object({ city: z.string() }),
  output: z.object({ city: z.string(), celsius: z.number() }),
  run: ({ city }) => ({ city, celsius: ({ Paris: 18, Oslo: 4, Lima: 22 } as Record<string, number>)[city] ?? 15 }),
});

/** Resolves at once: code awaits it so the sandbox sends the console output written so far. */
export const ping = defineTool({ name: 'ping', description: 'Answers pong.', input: z.object({}), run: () => 'pong' });

export async function httpClient(url: string, options: ClientOptions = {}, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'codemode-test', version: '1.0.0' }, options);
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** A client of `node dist/src/cli/main.js mcp ...args`, started in `cwd`. */
export async function stdioClient(args: string[], cwd: string): Promise<Client> {
  const client = new Client({ name: 'codemode-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ...args], cwd, stderr: 'ignore' }));
  return client;
}

export interface Executed {
  text: string;
  isError: boolean;
  structured: Record<string, unknown>;
}

/** Calls `execute` and returns its text, error flag and structured content. */
export async function execute(client: Client, code: string, extra: { timeoutMs?: number; reset?: boolean } = {}, options: Parameters<Client['callTool']>[2] = {}): Promise<Executed> {
  const result = (await client.callTool({ name: 'execute', arguments: { code, ...extra } }, undefined, options)) as CallToolResult;
  return readResult(result);
}

export function readResult(result: CallToolResult): Executed {
  const first = result.content[0];
  return {
    text: first?.type === 'text' ? first.text : '',
    isError: result.isError === true,
    structured: (result.structuredContent ?? {}) as Record<string, unknown>,
  };
}

/** A real temp directory with `files` in it (symlinks resolved); `remove()` deletes it. */
export function tempDir(files: Record<string, string>): { path: string; remove(): void } {
  const path = realpathSync(mkdtempSync(join(tmpdir(), 'codemode-mcp-')));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(path, name), content);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A promise with its resolve function outside, to wait for an event without sleeping. */
export function signal<T = void>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <cli> ...args` to its end; `input` goes to stdin, which stays open when there is none. */
export function launch(cli: string, args: string[], options: { input?: string; cwd?: string | undefined; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
  });
}
