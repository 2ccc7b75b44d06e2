// Workflow figures for `npm run bench`: a run that calls a saved workflow, and a run on an executor with a
// storage (which reads the store before each run), each beside a plain run on an executor without storage
// measured in the same process; and what saving costs (the type check in a preparation worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, Executor } from '../src/index.js';
import { FileStorage } from '../src/storage/index.js';
import { summarize, time, type Figure } from './stats.js';

export interface WorkflowRow {
  figure: string;
  unit: string;
  value: Figure;
  floorName: string;
  floor: Figure;
}

const add = defineTool({ name: 'add', description: 'Adds two numbers.', input: z.object({ a: z.number(), b: z.number() }), output: z.number(), run: ({ a, b }) => a + b });
const INCREMENT = 'async function run(input: { n: number }): Promise<number> {\n  return await codemode.add({ a: input.n, b: 1 });\n}';

async function ok(executor: Executor, code: string): Promise<void> {
  const result = await executor.run(code);
  if (!result.ok) throw new Error(`bench run failed: ${JSON.stringify(result.error)}`);
}

export async function workflowRows(): Promise<WorkflowRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-workflows-'));
  const plain = new Executor({ tools: [add], minProcesses: 1 });
  const stored = new Executor({ tools: [add], storage: new FileStorage({ dir }), minProcesses: 1 });
  try {
    await Promise.all([plain.warmup(), stored.warmup()]);
    await stored.workflows!.save({ name: 'increment', description: 'n + 1, through codemode.add.', code: INCREMENT });
    const saving = await time(10, 2, () => stored.workflows!.save({ name: 'increment', description: 'n + 1, through codemode.add.', code: INCREMENT }));
    const checking = await time(10, 2, () => plain.check(`const n = 1;\n${INCREMENT.replace('codemode.add({ a: input.n', 'codemode.add({ a: n')}\nreturn run({ n });`));
    const [direct, workflowCall] = await alternating(300, () => ok(plain, 'return await codemode.add({ a: 1, b: 1 })'), () => ok(stored, 'return await codemode.workflows.increment({ n: 1 })'));
    const [plainRun, storedRun] = await alternating(300, () => ok(plain, 'return 1'), () => ok(stored, 'return 1'));
    return [
      { figure: 'run calling a workflow (1 tool call inside)', unit: 'ms', value: workflowCall, floorName: 'the same tool call, no workflow', floor: direct },
      { figure: "run('return 1') with a file storage", unit: 'ms', value: storedRun, floorName: "run('return 1'), no storage", floor: plainRun },
      { figure: 'save a workflow (type-checked in a worker)', unit: 'ms', value: saving, floorName: 'check() of the same code', floor: checking },
    ];
  } finally {
    await Promise.all([plain.close(), stored.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Times `a` and `b` in turns, so load that comes and goes on a shared machine weighs on both alike. */
async function alternating(count: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[Figure, Figure]> {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < count + 20; i++) {
    for (const [index, body] of [a, b].entries()) {
      const start = performance.now();
      await body();
      if (i >= 20) samples[index]!.push(performance.now() - start);
    }
  }
  return [summarize(samples[0]), summarize(samples[1])];
}
