// Tools shared by the executor and session suites: small, real, and deterministic.
import { z } from 'zod';
import { defineTool, ToolError } from '../src/index.js';

export const double = defineTool({
  name: 'double',
  description: 'Doubles a number.',
  input: z.object({ n: z.number() }),
  output: z.number(),
  run: ({ n }) => n * 2,
});

export const echo = defineTool({
  name: 'echo',
  description: 'Returns its input.',
  input: z.object({ value: z.unknown() }),
  run: ({ value }) => value,
});

export const fail = defineTool({
  name: 'fail',
  description: 'Always throws.',
  input: z.object({ message: z.string().default('tool broke') }),
  run: ({ message }) => {
    const error = new Error(message);
    error.name = 'DiskError';
    throw error;
  },
});

export const forbid = defineTool({
  name: 'forbid',
  description: 'Throws a ToolError of kind denied.',
  input: z.object({}),
  run: () => {
    throw new ToolError('denied', 'path is outside the allowed roots', { hint: 'Use a path under ./data.' });
  },
});

/** A tool whose calls stay open until the test releases them, to observe concurrency. */
export function gate() {
  const waiting: Array<() => void> = [];
  let arrived: () => void = () => {};
  let expected = Infinity;
  const tool = defineTool({
    name: 'wait',
    description: 'Waits until released.',
    input: z.object({ id: z.number() }),
    run: ({ id }) =>
      new Promise<number>((resolve) => {
        waiting.push(() => resolve(id));
        if (waiting.length >= expected) arrived();
      }),
  });
  return {
    tool,
    /** Resolves once `count` calls are in flight at the same time. */
    inFlight(count: number): Promise<void> {
      expected = count;
      return new Promise((resolve) => {
        arrived = resolve;
        if (waiting.length >= count) resolve();
      });
    },
    releaseAll() {
      for (const release of waiting.splice(0)) release();
    },
  };
}
