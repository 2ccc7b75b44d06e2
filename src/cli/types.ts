// `codemode types`: the declarations of `codemode.*` the model would see with these flags, to check what a
// configuration grants before handing it to a model.
import { Executor } from '../index.js';
import type { Flags } from './args.js';
import { capabilitiesOf, limitsOf, resolveSettings } from './settings.js';
import { EXIT_OK, UsageError } from './usage.js';

export async function typesCommand(flags: Flags): Promise<number> {
  if (flags.positionals.length > 0) throw new UsageError(`types takes no arguments, got ${flags.positionals.join(' ')}`);
  const settings = resolveSettings(flags);
  // No run happens, so no sandbox process starts: declarations come from the tool schemas alone.
  const executor = new Executor({ capabilities: capabilitiesOf(settings), ...limitsOf(settings), minProcesses: 0 });
  try {
    process.stdout.write(executor.declarations());
    return EXIT_OK;
  } finally {
    await executor.close();
  }
}
