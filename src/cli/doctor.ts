// `codemode doctor`: what a bug report needs about this machine, and whether code can run here. Prints the
// Node and isolated-vm in use, how sandbox processes are locked down (the permission flag and every path
// they may read, with why), then starts one sandbox process and runs a line of code in it. Exit 0 when that
// run works, 1 when it does not (with the cause and a hint).
import { Executor } from '../index.js';
import { CodemodeError } from '../errors.js';
import { sandboxPermissions } from '../runtime/sandbox-permissions.js';
import { packageVersion } from '../present/version.js';
import { EXIT_OK, EXIT_RUN_FAILED, UsageError } from './usage.js';

const TRIAL_CODE = 'return [6 * 7, typeof process]';

export async function doctorCommand(args: readonly string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`doctor takes no arguments or flags, got ${args.join(' ')}`);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`codemode ${packageVersion()}`);
  out(`node ${process.version} (${process.execPath}, ${process.platform}-${process.arch})`);
  let permissions;
  try {
    permissions = sandboxPermissions();
  } catch (error) {
    out(`isolated-vm: cannot be resolved: ${(error as Error).message}`);
    return EXIT_RUN_FAILED;
  }
  out(`isolated-vm ${permissions.ivmVersion} (${permissions.ivmEntry})`);
  out(`sandbox processes: Node's permission model (${permissions.flag}); no writes, child processes or workers; may read:`);
  for (const { path, reason } of permissions.readable) out(`  ${path}  (${reason})`);
  out('  network: not limited by Node before v25; model code reaches it only through granted tools');

  const executor = new Executor({ minProcesses: 0 });
  const started = performance.now();
  try {
    await executor.warmup();
    const ready = performance.now() - started;
    const result = await executor.run(TRIAL_CODE);
    if (!result.ok) {
      out(`trial run: failed: ${result.error.kind}: ${result.error.message}`);
      return EXIT_RUN_FAILED;
    }
    out(`trial run: ok (${TRIAL_CODE} gave ${JSON.stringify(result.value)}; sandbox process ready in ${Math.round(ready)} ms, run ${result.stats.durationMs.toFixed(1)} ms)`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof CodemodeError)) throw error;
    out(`trial run: failed: ${error.message}`);
    return EXIT_RUN_FAILED;
  } finally {
    await executor.close();
  }
}
