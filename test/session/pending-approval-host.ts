// A host whose run is cancelled while an approval question is open: it must still exit on its own.
import { z } from 'zod';
import { defineTool, Executor } from '../../src/index.js';

const remove = defineTool({ name: 'remove', description: 'Deletes.', input: z.object({}), approval: 'ask', run: () => 'gone' });
const executor = new Executor({ tools: [remove], minProcesses: 1 });
const controller = new AbortController();
const result = await executor.run('await codemode.remove({})', {
  signal: controller.signal,
  approve: () => {
    setImmediate(() => controller.abort());
    return new Promise<boolean>(() => {});
  },
});
await executor.close();
process.stdout.write(`${result.ok ? 'completed' : result.error.kind}\n`);
