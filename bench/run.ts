// `npm run bench`: codemode's figures beside raw floors measured in the same run, as one table, and the same
// figures as JSON in bench/results.json (untracked) so two runs can be compared.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { defineTool, Executor } from '../src/index.js';
import { normalize } from '../src/normalize/normalize.js';
import { prepare } from '../src/prepare/prepare.js';
import { rawColdIsolate, rawProcessRoundTrip, rawWarmContext } from './floors.js';
import { mcpExecuteRoundTrip, mcpStartup } from './mcp.js';
import { httpLoad } from './mcp-http.js';
import { idle, summarize, time, type Figure } from './stats.js';
import { upstreamTokens } from './tokens.js';
import { workspaceRuns } from './workspace.js';
import { workflowRows } from './workflows.js';
import { journalRows } from './journal.js';
import { moduleRows } from './modules.js';

interface Row {
  figure: string;
  unit: string;
  value: Figure | number | undefined;
  floorName?: string;
  floor?: Figure | number;
  /** What issue 15 asks of the ratio (or of the value, for rows without a floor). */
  goal?: string;
}

const rows: Row[] = [];
const noop = defineTool({ name: 'noop', description: 'Does nothing.', input: z.object({}).optional(), run: () => null });

function median(value: Figure | number | undefined): number | undefined {
  return typeof value === 'number' ? value : value?.median;
}

async function runsPerSecond(executor: Executor, concurrency: number, total: number): Promise<number> {
  let left = total;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const result = await executor.run('return 1');
        if (!result.ok) throw new Error(`bench run failed: ${JSON.stringify(result.error)}`);
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

/** Run times of `return 1` with the sandbox idle (and its next isolate prepared) before each run. */
async function gapped(executor: Executor, count: number): Promise<Figure> {
  for (let i = 0; i < 20; i++) await executor.run('return 1');
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await idle(5);
    const start = performance.now();
    await executor.run('return 1');
    samples.push(performance.now() - start);
  }
  return summarize(samples);
}

function rssMb(pid: number): number {
  return statusMb(pid, 'VmRSS');
}

function statusMb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

function probe(mode: 'raw' | 'harness'): number {
  const script = new URL('./memory-probe.js', import.meta.url).pathname;
  return Number(execFileSync(process.execPath, ['--no-node-snapshot', script, mode, '50'], { encoding: 'utf8' }));
}

async function main(): Promise<void> {
  const executor = new Executor({ tools: [noop] });
  await executor.warmup();

  // Cold run: each run gets a fresh isolate, which the pool prepared during an idle gap before the run.
  const cold = await gapped(executor, 250);
  rows.push({ figure: "cold run('return 1'), pool warm", unit: 'ms', value: cold, floorName: 'raw isolate+context+eval+dispose', floor: await rawColdIsolate(500) });

  const backToBack = await time(300, 30, () => executor.run('return 1'));
  const warmContext = await rawWarmContext(500);
  rows.push({ figure: "back-to-back run('return 1')", unit: 'ms', value: backToBack, floorName: 'raw context in warm isolate+eval', floor: warmContext, goal: '≤ 2×' });
  // With isolateRuns 1 every run gets a fresh isolate (what every run got before isolates served several runs).
  const freshExecutor = new Executor({ tools: [noop], isolateRuns: 1 });
  await freshExecutor.warmup();
  rows.push({ figure: "back-to-back run('return 1'), isolateRuns 1", unit: 'ms', value: await time(200, 20, () => freshExecutor.run('return 1')), floorName: 'raw context in warm isolate+eval', floor: warmContext });
  await freshExecutor.close();

  const workspace = await workspaceRuns(executor, 300);
  rows.push({ figure: "run('counter += 1') in a live workspace", unit: 'ms', value: workspace.run, floorName: "back-to-back run('return 1')", floor: backToBack });

  const perCall = summarize(await (async () => {
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      await executor.run(`for (let i = 0; i < 200; i++) await codemode.noop(); return 1`);
      samples.push(((performance.now() - start) / 200) * 1000);
    }
    return samples;
  })());
  rows.push({ figure: 'one sequential host call', unit: 'µs', value: perCall, floorName: 'raw IPC round trip, 2 processes', floor: scale(await rawProcessRoundTrip(2000), 1000), goal: '≤ 1.5×' });

  // What bounding preparation costs a run: the worker round trip against normalizing on the main thread.
  const preparedOnce = await time(2000, 200, () => prepare('return 1', { timeoutMs: 30_000 }));
  rows.push({ figure: "prepare('return 1') in a worker", unit: 'µs', value: scale(preparedOnce, 1000), floorName: 'normalize on the main thread', floor: scale(await time(2000, 200, () => normalize('return 1')), 1000) });

  const parallel: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    await executor.run('await Promise.all(Array.from({ length: 1000 }, () => codemode.noop())); return 1');
    parallel.push(1000 / ((performance.now() - start) / 1000));
  }
  rows.push({ figure: '1000 host calls in Promise.all', unit: 'calls/s', value: summarize(parallel), goal: '≥ 100,000' });

  // The ideal: every core making contexts back to back, nothing else.
  const ideal = (availableParallelism() * 1000) / warmContext.median;
  rows.push({ figure: 'trivial runs/s, concurrency 1', unit: 'runs/s', value: await runsPerSecond(executor, 1, 1000), floorName: 'cores ÷ raw warm context', floor: ideal });
  rows.push({ figure: 'trivial runs/s, concurrency 8', unit: 'runs/s', value: await runsPerSecond(executor, 8, 2000), floorName: 'cores ÷ raw warm context', floor: ideal, goal: '≥ 0.5×' });

  await idle(200);
  const pids = executor.sandboxPids();
  const pooledRss = summarize(pids.map(rssMb));
  rows.push({ figure: `idle sandbox process RSS (${pids.length} live)`, unit: 'MB', value: pooledRss });
  // Resident memory by kind: the node binary's mapped pages (shared by every process) and private memory.
  rows.push({ figure: 'of which file-backed (node binary, shared)', unit: 'MB', value: summarize(pids.map((pid) => statusMb(pid, 'RssFile'))), floorName: 'idle process RSS', floor: pooledRss });
  rows.push({ figure: 'of which private (heaps, isolates)', unit: 'MB', value: summarize(pids.map((pid) => statusMb(pid, 'RssAnon'))), floorName: 'idle process RSS', floor: pooledRss });
  rows.push({ figure: 'workspace sandbox process RSS', unit: 'MB', value: workspace.rssMb, floorName: 'idle pooled process', floor: pooledRss });
  rows.push({ figure: 'idle prepared isolate (with harness)', unit: 'MB', value: probe('harness'), floorName: 'raw isolate+context', floor: probe('raw') });

  const many = Array.from({ length: 500 }, (_, i) =>
    defineTool({ name: `tool${i}`, description: `Tool number ${i}.`, input: z.object({ id: z.string(), limit: z.number().int().default(10), tags: z.array(z.string()).optional() }), output: z.object({ ok: z.boolean() }), run: () => ({ ok: true }) }),
  );
  rows.push({
    figure: 'declarations for 500 tools',
    unit: 'ms',
    value: await time(5, 1, () => new Executor({ tools: many, minProcesses: 0 }).declarations()),
  });

  const script = Array.from({ length: 10 }, (_, i) => [
    `const item${i} = await codemode.tool${i}({ id: 'x${i}', tags: ['a', 'b'] });`,
    `if (!item${i}.ok) throw new Error('tool${i} failed');`,
    `console.log('tool${i}', item${i}.ok);`,
  ]).flat().join('\n');
  const checking = new Executor({ tools: many, minProcesses: 0 });
  const first = performance.now();
  const diagnostics = await checking.check(script);
  if (diagnostics.length > 0) throw new Error(`bench script has type errors: ${JSON.stringify(diagnostics)}`);
  rows.push({ figure: 'type-check, first (loads compiler + lib)', unit: 'ms', value: performance.now() - first });
  rows.push({ figure: 'type-check of a 30-line script, warm', unit: 'ms', value: await time(30, 5, () => checking.check(script)) });

  rows.push(...(await workflowRows()));
  rows.push(...(await journalRows()));
  rows.push(...(await moduleRows()));

  const directRun = await time(200, 20, () => executor.run('return 1'));
  rows.push({ figure: "MCP execute('return 1') round trip, stdio", unit: 'ms', value: await mcpExecuteRoundTrip(200), floorName: "back-to-back run('return 1') now", floor: directRun, goal: '≤ 2×' });
  const load = await httpLoad();
  rows.push({ figure: '500 execute (fs read + value), MCP HTTP, 100 sessions × 5', unit: 'runs/s', value: load.mcpRunsPerSecond, floorName: 'executor.run, same code, 100 tenants × 5', floor: load.libraryRunsPerSecond, goal: '≥ 0.8×' });
  rows.push({ figure: '  one of those 500 execute calls, submitted at once', unit: 'ms', value: load.mcpLatency });
  const startup = await mcpStartup(10);
  rows.push({ figure: '`codemode mcp` launch to tools/list answer', unit: 'ms', value: startup.toolsList, floorName: 'bare node start', floor: startup.bareNode });
  rows.push({ figure: '`codemode mcp` launch to first execute answer', unit: 'ms', value: startup.firstExecute, floorName: 'bare node start', floor: startup.bareNode });

  // Goals: fixed surface ≤ 700 tokens; declarations ≤ 0.50× the servers' own tools/list.
  const upstream = await upstreamTokens();
  rows.push({ figure: `execute + search definitions, ${upstream.tools} upstream tools`, unit: 'tokens', value: upstream.fixedSurface, floorName: 'goal', floor: 700 });
  rows.push({ figure: `declarations of the ${upstream.tools} upstream tools`, unit: 'tokens', value: upstream.declarations, floorName: 'their own tools/list', floor: upstream.upstreamToolsList });

  await executor.close();
  print();
}

function scale(figure: Figure, factor: number): Figure {
  return { median: figure.median * factor, p95: figure.p95 * factor, samples: figure.samples };
}

function format(value: number | undefined): string {
  if (value === undefined) return '—';
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(3);
}

function print(): void {
  const header = ['figure', 'unit', 'median', 'p95', 'floor', 'floor median', 'ratio', 'goal'];
  const lines = rows.map((row) => {
    const value = median(row.value);
    const floor = median(row.floor);
    const p95 = typeof row.value === 'object' ? row.value.p95 : undefined;
    return [row.figure, row.unit, format(value), format(p95), row.floorName ?? '—', format(floor), value !== undefined && floor ? `${(value / floor).toFixed(2)}×` : '—', row.goal ?? ''];
  });
  const widths = header.map((_, i) => Math.max(header[i]!.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`codemode bench — node ${process.version}, ${availableParallelism()} cores\n`);
  console.log(render(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(render(line));
  const results = { node: process.version, cores: availableParallelism(), at: new Date().toISOString(), rows };
  writeFileSync(new URL('./results.json', import.meta.url.replace('/dist/bench/', '/bench/')), JSON.stringify(results, null, 2) + '\n');
}

await main();
