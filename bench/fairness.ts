// `npm run bench:fairness`: noisy neighbours. One tenant sends only hostile code (CPU loops that run into a
// 2 s limit, memory bombs) among many tenants sending good runs, all at once, on one executor. Measured twice
// in the same run: with every run in one line (what a caller that names no tenant gets, and what every MCP
// session got before tenants), and with each session its own tenant. The figure is the good runs' latency.
import { z } from 'zod';
import { defineTool, Executor, type RunResult } from '../src/index.js';
import { summarize } from './stats.js';

const GOOD_RUNS = 500;
const HOSTILE_RUNS = 50;
const GOOD_TENANTS = 99;
const HOSTILE_LIMIT_MS = 2_000;

const lookup = defineTool({ name: 'lookup', description: 'Answers with its key.', input: z.object({ key: z.number() }), run: ({ key }) => key });
const GOOD = 'const values = await Promise.all([1, 2, 3].map((key) => codemode.lookup({ key }))); return values.reduce((a, b) => a + b, 0)';
const LOOP = 'while (true) {}';
const BOMB = 'const keep = []; while (true) keep.push(new Array(1e6).fill(1))';

interface Outcome {
  goodMs: number[];
  goodFailed: number;
  hostileKinds: Record<string, number>;
  totalMs: number;
}

/** Hostile runs are spread through the submission order (one every ten), all submitted in the same tick. */
async function mix(executor: Executor, withTenants: boolean): Promise<Outcome> {
  const outcome: Outcome = { goodMs: [], goodFailed: 0, hostileKinds: {}, totalMs: 0 };
  const start = performance.now();
  const runs: Array<Promise<void>> = [];
  let good = 0;
  for (let i = 0; i < GOOD_RUNS + HOSTILE_RUNS; i++) {
    const hostile = i % 11 === 5 && runs.length - good < HOSTILE_RUNS;
    const tenant = hostile ? 'hostile' : `good-${good % GOOD_TENANTS}`;
    const options = { ...(withTenants ? { tenant } : {}), ...(hostile ? { timeoutMs: HOSTILE_LIMIT_MS } : {}) };
    const code = hostile ? (i % 2 === 0 ? LOOP : BOMB) : GOOD;
    if (!hostile) good++;
    const submitted = performance.now();
    runs.push(
      executor.run(code, options).then((result: RunResult) => {
        if (hostile) {
          const kind = result.ok ? 'ok' : result.error.kind;
          outcome.hostileKinds[kind] = (outcome.hostileKinds[kind] ?? 0) + 1;
        } else if (result.ok && result.value === 6) outcome.goodMs.push(performance.now() - submitted);
        else outcome.goodFailed++;
      }),
    );
  }
  await Promise.all(runs);
  outcome.totalMs = performance.now() - start;
  return outcome;
}

function report(label: string, outcome: Outcome): void {
  const figure = summarize(outcome.goodMs);
  console.log(
    `| ${label.padEnd(26)} | ${(figure.median / 1000).toFixed(2).padStart(6)} s | ${(figure.p95 / 1000).toFixed(2).padStart(6)} s | ` +
      `${String(outcome.goodMs.length).padStart(4)} ok, ${outcome.goodFailed} failed | ${JSON.stringify(outcome.hostileKinds)} | ${(outcome.totalMs / 1000).toFixed(1)} s |`,
  );
}

const executor = new Executor({ tools: [lookup], timeoutMs: 30_000 });
await executor.warmup();
for (let i = 0; i < 20; i++) await executor.run(GOOD);
console.log(`fairness bench: ${GOOD_RUNS} good runs over ${GOOD_TENANTS} tenants, ${HOSTILE_RUNS} hostile runs from one tenant, submitted at once`);
console.log('| line                       | good p50 | good p95 | good runs | hostile outcomes | all done |');
console.log('|----------------------------|----------|----------|-----------|------------------|----------|');
report('one line (no tenants)', await mix(executor, false));
report('fair line (a tenant each)', await mix(executor, true));
await executor.close();
