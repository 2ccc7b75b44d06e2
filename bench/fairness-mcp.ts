// The fairness bench's mix over MCP HTTP: the same good and hostile code, sent as `execute` calls by the
// SDK's real client over streamable HTTP, each client its own MCP session (so its own tenant in the
// server's line). Measured twice in one run: the good sessions alone, then with one hostile session sending
// CPU loops (2 s limit) and memory bombs among them, all at once. The server runs in its own process, so
// the clients' work does not share its event loop. The figure is the good calls' latency.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { defineTool } from '../src/index.js';
import { CodeModeServer } from '../src/mcp/index.js';
import { summarize } from './stats.js';

const GOOD_CALLS = 500;
const HOSTILE_CALLS = 50;
const GOOD_SESSIONS = 99;
const HOSTILE_LIMIT_MS = 2_000;
/** Far beyond any call's wait here: the SDK's default (60 s) would cut off a queued call. */
const CALL_TIMEOUT_MS = 600_000;

const GOOD = 'const values = await Promise.all([1, 2, 3].map((key) => codemode.lookup({ key }))); return values.reduce((a, b) => a + b, 0)';
const LOOP = 'while (true) {}';
const BOMB = 'const keep = []; while (true) keep.push(new Array(1e6).fill(1))';

async function serve(): Promise<void> {
  const lookup = defineTool({ name: 'lookup', description: 'Answers with its key.', input: z.object({ key: z.number() }), run: ({ key }) => key });
  const server = new CodeModeServer({ tools: [lookup], timeoutMs: 30_000 });
  // 100 sessions each hold an event stream and a POST, with spares for reconnects under load.
  const http = await server.serveHttp({ port: 0, maxConnections: 1024 });
  await server.warmup();
  process.send!({ url: http.url });
}

interface Outcome {
  goodMs: number[];
  goodFailed: number;
  hostileKinds: Record<string, number>;
  totalMs: number;
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function call(client: Client, code: string, timeoutMs?: number): Promise<CallToolResult> {
  const args = { code, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  return (await client.callTool({ name: 'execute', arguments: args }, undefined, { timeout: CALL_TIMEOUT_MS })) as CallToolResult;
}

/** The good calls spread over the good sessions; one hostile call every ten, in the same tick, when asked. */
async function mix(good: Client[], hostile: Client | undefined): Promise<Outcome> {
  const outcome: Outcome = { goodMs: [], goodFailed: 0, hostileKinds: {}, totalMs: 0 };
  const start = performance.now();
  const calls: Array<Promise<void>> = [];
  let goodSent = 0;
  let hostileSent = 0;
  while (goodSent < GOOD_CALLS) {
    if (hostile && calls.length % 11 === 5 && hostileSent < HOSTILE_CALLS) {
      const code = hostileSent++ % 2 === 0 ? LOOP : BOMB;
      calls.push(
        call(hostile, code, HOSTILE_LIMIT_MS).then(
          (result) => {
            const kind = result.isError ? String((result.structuredContent as { error?: { kind?: string } } | undefined)?.error?.kind ?? 'error') : 'ok';
            outcome.hostileKinds[kind] = (outcome.hostileKinds[kind] ?? 0) + 1;
          },
          () => {
            outcome.hostileKinds['client error'] = (outcome.hostileKinds['client error'] ?? 0) + 1;
          },
        ),
      );
      continue;
    }
    const client = good[goodSent++ % good.length]!;
    const submitted = performance.now();
    calls.push(
      call(client, GOOD).then(
        (result) => {
          if (!result.isError && (result.structuredContent as { value?: unknown } | undefined)?.value === 6) outcome.goodMs.push(performance.now() - submitted);
          else outcome.goodFailed++;
        },
        () => {
          outcome.goodFailed++;
        },
      ),
    );
  }
  await Promise.all(calls);
  outcome.totalMs = performance.now() - start;
  return outcome;
}

function report(label: string, outcome: Outcome): void {
  const figure = summarize(outcome.goodMs);
  console.log(
    `| ${label.padEnd(30)} | ${(figure.median / 1000).toFixed(2).padStart(6)} s | ${(figure.p95 / 1000).toFixed(2).padStart(6)} s | ` +
      `${String(outcome.goodMs.length).padStart(4)} ok, ${outcome.goodFailed} failed | ${JSON.stringify(outcome.hostileKinds)} | ${(outcome.totalMs / 1000).toFixed(1)} s |`,
  );
}

async function drive(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--no-node-snapshot'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', (m) => resolve(m as { url: string })));
    // Sessions open ten at a time: the figure is the calls, not a burst of handshakes.
    const good: Client[] = [];
    while (good.length < GOOD_SESSIONS) good.push(...(await Promise.all(Array.from({ length: Math.min(10, GOOD_SESSIONS - good.length) }, () => connect(url)))));
    const hostile = await connect(url);
    for (const client of good.slice(0, 20)) await call(client, GOOD);
    console.log(`fairness over MCP HTTP: ${GOOD_CALLS} good calls over ${GOOD_SESSIONS} sessions, with and without one session sending ${HOSTILE_CALLS} hostile calls, submitted at once`);
    console.log('| mix                            | good p50 | good p95 | good calls | hostile outcomes | all done |');
    console.log('|--------------------------------|----------|----------|------------|------------------|----------|');
    report('good sessions alone', await mix(good, undefined));
    report('with one hostile session', await mix(good, hostile));
    await Promise.all([...good, hostile].map((client) => client.close()));
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'server') await serve();
else await drive();
