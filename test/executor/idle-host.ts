// A host that runs code and then simply has nothing left to do: it must exit on its own.
import { Executor } from '../../src/index.js';

const executor = new Executor();
const result = await executor.run('return 1 + 1');
process.stdout.write(`ran ${result.ok ? String(result.value) : 'failed'}\n`);
