// A host process for the durable-run tests: `node host.js '<json task>'` runs or resumes one durable run
// against a store the parent made, and prints one JSON line per event on stdout: each tool call as it
// starts, then the result. The parent may SIGKILL it while a tool runs (the `hang` tools never finish here).
import { z } from 'zod';
import { defineTool, Executor, type ApprovalDecision } from '../../src/index.js';
import { FileStorage, RedisStorage } from '../../src/storage/index.js';
import type { StoreSpec } from '../storage/child.js';

export type HostTask =
  | { op: 'run'; store: StoreSpec; runId: string; code: string }
  | { op: 'resume'; store: StoreSpec; runId: string; decisions?: Record<number, ApprovalDecision> };

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const forever = () => new Promise<never>(() => undefined);

const tools = [
  defineTool({ name: 'step', description: 'Counts.', input: z.object({ n: z.number() }), run: ({ n }) => (say({ called: 'step', n }), n * 10) }),
  defineTool({ name: 'hang', description: 'Never ends here.', input: z.object({}), run: () => (say({ called: 'hang' }), forever()) }),
  defineTool({ name: 'hangAgain', description: 'Never ends here; safe to repeat.', input: z.object({}), idempotent: true, run: () => (say({ called: 'hangAgain' }), forever()) }),
  defineTool({ name: 'remove', description: 'Needs approval.', input: z.object({ id: z.string() }), approval: 'ask', run: ({ id }) => (say({ called: 'remove', id }), `removed ${id}`) }),
];

const task = JSON.parse(process.argv[2]!) as HostTask;
const storage = task.store.kind === 'file' ? new FileStorage({ dir: task.store.dir }) : new RedisStorage({ url: task.store.url, prefix: task.store.prefix });
const executor = new Executor({ tools, storage, minProcesses: 1 });
const result = task.op === 'run' ? await executor.run(task.code, { runId: task.runId, durable: true }) : await executor.resume(task.runId, task.decisions ? { decisions: task.decisions } : {});
say({ result });
await executor.close();
await storage.close();
