// `codemode run FILE|-`: one run on this machine, the way the execute tool runs it. Console output goes to
// stderr as it happens (stdout stays clean for the value), the value to stdout as JSON, a failure to
// stderr in the same words the model reads. Ctrl-C cancels the run instead of killing it mid-call.
import { readFileSync } from 'node:fs';
import { Executor } from '../index.js';
import { errorText } from '../present/format.js';
import { jsonText } from '../present/json.js';
import type { Flags } from './args.js';
import { capabilitiesOf, limitsOf, modulesOf, resolveSettings } from './settings.js';
import { EXIT_OK, EXIT_RUN_FAILED, UsageError } from './usage.js';

export async function runCommand(flags: Flags): Promise<number> {
  if (flags.positionals.length !== 1) {
    throw new UsageError(flags.positionals.length === 0 ? 'run needs a file to run, or - for stdin' : `run takes one file, got ${flags.positionals.length}: ${flags.positionals.join(' ')}`);
  }
  const file = flags.positionals[0]!;
  const settings = resolveSettings(flags);
  const code = readSource(file);
  const executor = new Executor({ capabilities: capabilitiesOf(settings), ...limitsOf(settings), ...modulesOf(settings), minProcesses: 0 });
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once('SIGINT', onSignal);
  try {
    // A sandbox that cannot start is the host's failure (exit 1 with the cause), not the code's.
    await executor.warmup();
    const result = await executor.run(code, {
      signal: cancel.signal,
      onLog: (entry) => process.stderr.write(`${entry.text}\n`),
    });
    if (!result.ok) {
      process.stderr.write(`${errorText(result.error)}\n`);
      return EXIT_RUN_FAILED;
    }
    const json = jsonText(result.value, 2);
    if (json !== undefined) process.stdout.write(`${json}\n`);
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    await executor.close();
  }
}

function readSource(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file === '-' ? 'stdin' : file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
