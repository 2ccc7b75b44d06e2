// Durable-run figures for `npm run bench`: what the journal costs per host call, next to the same call in a
// plain run measured in the same process: a sequential call recorded live (its call record and its delivery
// stored before the code goes on, each append fsynced on FileStorage), and the same call replayed from the
// journal (no tool, no write).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, Executor } from '../src/index.js';
import { FileStorage } from '../src/storage/index.js';
import { summarize, type Figure } from './stats.js';

export interface JournalRow {
  figure: string;
  unit: string;
  value: Figure;
  floorName: string;
  floor: Figure;
}

const noop = defineTool({ name: 'noop', description: 'Does nothing.', input: z.object({}).optional(), run: () => null });
const CALLS = 100;
const CODE = `for (let i = 0; i < ${CALLS}; i++) await codemode.noop(); return 1`;

/** Microseconds per call of `CODE`, over `rounds` runs; `options(i)` gives each run's options. */
async function perCall(executor: Executor, rounds: number, options: (i: number) => Parameters<Executor['run']>[1]): Promise<Figure> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const result = await executor.run(CODE, options(i));
    if (!result.ok) throw new Error(`bench run failed: ${JSON.stringify(result.error)}`);
    samples.push(((performance.now() - start) / CALLS) * 1000);
  }
  return summarize(samples);
}

export async function journalRows(): Promise<JournalRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-bench-journal-'));
  const executor = new Executor({ tools: [noop], storage: new FileStorage({ dir }), minProcesses: 1 });
  try {
    await executor.warmup();
    const plain = await perCall(executor, 10, () => ({}));
    const recorded = await perCall(executor, 10, (i) => ({ runId: `bench-${i}`, durable: true }));
    const replayed = await perCall(executor, 10, (i) => ({ runId: `bench-${i}`, durable: true }));
    return [
      { figure: 'one sequential host call, durable (FileStorage, recorded)', unit: 'µs', value: recorded, floorName: 'the same call, plain run', floor: plain },
      { figure: 'one sequential host call, durable (replayed from the journal)', unit: 'µs', value: replayed, floorName: 'the same call, plain run', floor: plain },
    ];
  } finally {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
