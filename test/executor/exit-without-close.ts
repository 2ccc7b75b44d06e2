// A host that runs code and exits without closing its executor; prints its sandbox pids.
import { Executor } from '../../src/index.js';

const executor = new Executor({ minProcesses: 2 });
await executor.warmup();
await executor.run('return 1');
process.stdout.write(JSON.stringify(executor.sandboxPids()));
process.exit(0);
