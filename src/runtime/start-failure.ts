// Why a sandbox process could not start, said to the operator (not the model): the cause in full as the
// process wrote it on stderr (the denied resource, the missing module), without the stack frames, and a hint
// that names the fix. The error is a CodemodeError with code SANDBOX_START_FAILED.
import { CodemodeError } from '../errors.js';
import { sandboxPermissions } from './sandbox-permissions.js';

/** How a process that never became ready ended: an exit (with its stderr), or no word within `timeoutMs`. */
export type StartEnd = { code: number | null; signal: NodeJS.Signals | null; stderr: string } | { timeoutMs: number; stderr: string };

export function startFailure(end: StartEnd): CodemodeError {
  const how = 'timeoutMs' in end ? `did not report ready within ${end.timeoutMs} ms` : `exited while starting (${end.signal ? `signal ${end.signal}` : `exit code ${end.code}`})`;
  const cause = causeLines(end.stderr);
  const message = `the sandbox process ${how}${cause ? `:\n${cause}` : ''}\nHint: ${operatorHint(end)}`;
  return new CodemodeError('SANDBOX_START_FAILED', message);
}

/** What the process wrote, without stack frames, source excerpts and blank lines. */
function causeLines(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s+at /.test(line) && !/^\s*\^+\s*$/.test(line))
    .join('\n')
    .trim();
}

function operatorHint(end: StartEnd): string {
  const { stderr } = end;
  let permissions;
  try {
    permissions = sandboxPermissions();
  } catch (error) {
    return `isolated-vm's files could not be resolved (${(error as Error).message}); reinstall the dependencies with this Node.`;
  }
  if (stderr.includes('ERR_ACCESS_DENIED')) {
    return `the sandbox process runs under Node's permission model (${permissions.flag}) and was refused the resource above; \`codemode doctor\` lists what it may read. Please report this with that output.`;
  }
  if (/Cannot find module|MODULE_NOT_FOUND|No native build was found|NODE_MODULE_VERSION|ERR_DLOPEN_FAILED/.test(stderr)) {
    return `isolated-vm ${permissions.ivmVersion} at ${permissions.ivmEntry} cannot be loaded by Node ${process.version}; reinstall the dependencies with this Node (\`npm ci\`, or \`npm rebuild isolated-vm\`).`;
  }
  if ('timeoutMs' in end) return 'the machine may be overloaded; `codemode doctor` tries a sandbox process and shows how long it takes.';
  return '`codemode doctor` shows the Node version, isolated-vm and the permission model, and tries a run.';
}
