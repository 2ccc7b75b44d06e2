// Workspace figures for `npm run bench`: a run in a live workspace (its context kept in the pinned process)
// next to a plain run, and what a workspace's process costs in memory.
import { readFileSync } from 'node:fs';
import type { Executor } from '../src/index.js';
import { time, type Figure } from './stats.js';

export interface WorkspaceFigures {
  /** `counter += 1` in a workspace that keeps `counter`, back to back. */
  run: Figure;
  /** RSS of the workspace's sandbox process after its runs, in MB. */
  rssMb: number;
}

export async function workspaceRuns(executor: Executor, count: number): Promise<WorkspaceFigures> {
  const workspace = await executor.workspace();
  try {
    const first = await workspace.run('let counter = 0');
    if (!first.ok) throw new Error(`bench workspace run failed: ${JSON.stringify(first.error)}`);
    const run = await time(count, 30, async () => {
      const result = await workspace.run('counter += 1');
      if (!result.ok) throw new Error(`bench workspace run failed: ${JSON.stringify(result.error)}`);
    });
    const status = readFileSync(`/proc/${workspace.pid}/status`, 'utf8');
    return { run, rssMb: Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024 };
  } finally {
    await workspace.close();
  }
}
