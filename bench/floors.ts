// The raw floors the bench prints beside each figure, measured in the same run on the same machine:
// isolated-vm by itself (in this process, which is started with --no-node-snapshot), and a raw round trip
// over the transport the sandbox uses (Node IPC with advanced serialization) between two processes.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import type ivmModule from 'isolated-vm';
import { summarize, time, type Figure } from './stats.js';

const ivm = createRequire(import.meta.url)('isolated-vm') as typeof ivmModule;

/** New isolate + context + eval + dispose. */
export function rawColdIsolate(count: number): Promise<Figure> {
  return time(count, 20, () => {
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    const context = isolate.createContextSync();
    context.evalSync('1');
    isolate.dispose();
  });
}

/** New context in a warm isolate + eval. */
export function rawWarmContext(count: number): Promise<Figure> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  return time(count, 20, () => {
    const context = isolate.createContextSync();
    context.evalSync('1');
    context.release();
  }).finally(() => isolate.dispose());
}

/** One message there and back between this process and a child, over Node IPC (advanced serialization). */
export async function rawProcessRoundTrip(count: number): Promise<Figure> {
  const child = fork(new URL('./echo-process.js', import.meta.url), [], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const samples: number[] = [];
  const payload = { type: 'results', runId: 'r', results: [{ callId: 1, ok: true, value: '0null' }], budgetMs: 1000 };
  for (let i = 0; i < count + 200; i++) {
    const start = performance.now();
    await new Promise<void>((resolve) => {
      child.once('message', () => resolve());
      child.send(payload);
    });
    if (i >= 200) samples.push(performance.now() - start);
  }
  child.kill();
  return summarize(samples);
}

/** Resident memory of `count` idle isolates, each with a context: MB per isolate. */
export function rawIsolateMemory(count: number): number {
  global.gc?.();
  const before = process.memoryUsage().rss;
  const isolates = Array.from({ length: count }, () => {
    const isolate = new ivm.Isolate({ memoryLimit: 128 });
    isolate.createContextSync().evalSync('1');
    return isolate;
  });
  const perIsolate = (process.memoryUsage().rss - before) / count / 2 ** 20;
  for (const isolate of isolates) isolate.dispose();
  return perIsolate;
}
