// `npm run bench:http-memory`: does the MCP HTTP server hold on to anything of a closed session? The server
// runs in its own process (started with --expose-gc); this process drives rounds of SESSIONS sessions ×
// CALLS `execute` calls through the SDK's real client, each session closed with DELETE, and after each round
// asks the server for its memory after a full gc. With `--snapshots DIR` the server also writes a heap
// snapshot after each round, to compare retained objects by constructor (see `--compare`).
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHeapSnapshot } from 'node:v8';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CodeModeServer } from '../src/mcp/index.js';

const SESSIONS = 100;
const CALLS = 5;
const ROUNDS = Number(process.env.ROUNDS ?? 6);

interface Measure {
  rss: number;
  heapUsed: number;
  external: number;
  sessions: number;
  snapshot?: string;
}

type Request = { type: 'measure'; snapshot?: string };

async function serve(): Promise<void> {
  const server = new CodeModeServer();
  // 100 sessions hold a POST and an event stream each, and the clients keep idle sockets alive between
  // rounds: above the default 256 connections, which would cut some off mid-round.
  const http = await server.serveHttp({ port: 0, maxConnections: 1024 });
  await server.warmup();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the server with --expose-gc');
  process.on('message', (message: Request) => {
    // Twice: what the first collection frees may release more (finalizers, weak maps).
    gc();
    gc();
    const memory = process.memoryUsage();
    const measure: Measure = { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external, sessions: http.openSessions() };
    if (message.snapshot) measure.snapshot = writeHeapSnapshot(message.snapshot);
    process.send!(measure);
  });
  process.send!({ url: http.url });
}

async function session(url: string): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'codemode-bench', version: '1.0.0' });
  await client.connect(transport);
  for (let i = 0; i < CALLS; i++) {
    const result = await client.callTool({ name: 'execute', arguments: { code: `console.log('call ${i}'); return [${i}, 'x'.repeat(1000)]` } });
    if (result.isError) throw new Error(`bench execute failed: ${JSON.stringify(result.content)}`);
  }
  await transport.terminateSession();
  await client.close();
}

async function drive(snapshots: string | undefined): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: ['--expose-gc', '--no-node-snapshot'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = <T>() => new Promise<T>((resolve) => child.once('message', (m) => resolve(m as T)));
  const { url } = await next<{ url: string }>();
  const measure = async (label: string, round: number) => {
    const snapshot = snapshots ? join(snapshots, `round-${round}.heapsnapshot`) : undefined;
    child.send({ type: 'measure', ...(snapshot ? { snapshot } : {}) } satisfies Request);
    const m = await next<Measure>();
    const mb = (n: number) => (n / 2 ** 20).toFixed(1).padStart(6);
    console.log(`| ${label.padEnd(9)} | ${mb(m.rss)} MB | ${mb(m.heapUsed)} MB | ${mb(m.external)} MB | ${String(m.sessions).padStart(8)} |`);
  };
  console.log(`http memory bench: rounds of ${SESSIONS} sessions × ${CALLS} execute calls, each session closed with DELETE; server measured after gc`);
  console.log('| after     |    RSS    | heap used |  external | sessions |');
  console.log('|-----------|-----------|-----------|-----------|----------|');
  await measure('start', 0);
  // One session first: the prepare workers start and load the TypeScript compiler (their heaps are not in
  // `heap used`, which is the main thread's), and the sandbox processes warm up.
  await session(url);
  await measure('warm', 0);
  for (let round = 1; round <= ROUNDS; round++) {
    await Promise.all(Array.from({ length: SESSIONS }, () => session(url)));
    await measure(`round ${round}`, round);
  }
  child.kill();
}

/** Retained size by constructor in two snapshots, the largest growths first. */
function compare(before: string, after: string): void {
  const a = byConstructor(before);
  const b = byConstructor(after);
  const rows = [...b.entries()].map(([name, now]) => {
    const was = a.get(name) ?? { count: 0, size: 0 };
    return { name, count: now.count - was.count, size: now.size - was.size };
  });
  rows.sort((x, y) => y.size - x.size);
  console.log('| constructor | Δ count | Δ self size |');
  for (const row of rows.slice(0, 25)) console.log(`| ${row.name.slice(0, 60)} | ${row.count} | ${row.size} |`);
}

function byConstructor(file: string): Map<string, { count: number; size: number }> {
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snapshot.snapshot.meta.node_types[0];
  const totals = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]!]!;
    const name = type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[i + nameAt]!]}` : type;
    const total = totals.get(name) ?? { count: 0, size: 0 };
    total.count += 1;
    total.size += snapshot.nodes[i + sizeAt]!;
    totals.set(name, total);
  }
  return totals;
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'server') await serve();
else if (mode === '--compare') compare(rest[0]!, rest[1]!);
else {
  const snapshots = mode === '--snapshots' ? rest[0] : undefined;
  if (snapshots) mkdirSync(snapshots, { recursive: true });
  await drive(snapshots);
}
