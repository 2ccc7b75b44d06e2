// The `codemode` command line: picks the command, parses its flags, runs it, and turns what went wrong
// into an exit code. 0: done; 1: the code failed (or the server could not start); 2: a usage mistake,
// said in one line on stderr (`codemode: unknown flag --alow-read (did you mean --allow-read?)`).
import { CodemodeError } from '../errors.js';
import { packageVersion } from '../present/version.js';
import { parseFlags, type Command } from './args.js';
import { doctorCommand } from './doctor.js';
import { helpText } from './help.js';
import { mcpCommand } from './mcp.js';
import { runCommand } from './run.js';
import { STORAGE_COMMANDS, STORAGE_HELP, storageCommand, type StorageCommand } from './storage.js';
import { typesCommand } from './types.js';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, UsageError, didYouMean } from './usage.js';

const COMMANDS: readonly Command[] = ['mcp', 'run', 'types'];
const ALL: readonly string[] = [...COMMANDS, ...STORAGE_COMMANDS];
const ALL_TEXT = `${ALL.slice(0, -1).join(', ')} or ${ALL.at(-1)}`;

/** Runs the command line `argv` (without `node` and the script) and resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`codemode: ${error.message}\n`);
      return error.exitCode;
    }
    // A module that is not installed, or cannot run in the sandbox: the launch line or config names it.
    if (error instanceof CodemodeError && (error.code === 'MODULE_NOT_FOUND' || error.code === 'MODULE_REFUSED')) {
      process.stderr.write(`codemode: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof CodemodeError && error.code === 'SANDBOX_START_FAILED') {
      process.stderr.write(`codemode: cannot run code here: ${error.message}\n`);
      return EXIT_RUN_FAILED;
    }
    process.stderr.write(`codemode: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_RUN_FAILED;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    process.stderr.write(helpText('main'));
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && isStorageCommand(topic)) {
      process.stdout.write(`${STORAGE_HELP[topic]}\n`);
      return EXIT_OK;
    }
    process.stdout.write(helpText(topic !== undefined && (isCommand(topic) || topic === 'doctor') ? topic : 'main'));
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  if (isStorageCommand(first)) return storageCommand(first, rest);
  // `doctor` takes no flags: it reports on this machine, whatever a configuration grants.
  if (first === 'doctor') {
    if (rest.length !== 1 || (rest[0] !== '--help' && rest[0] !== '-h')) return doctorCommand(rest);
    process.stdout.write(helpText('doctor'));
    return EXIT_OK;
  }
  if (!isCommand(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `expected a command (${ALL_TEXT}) before ${first}`
        : `unknown command "${first}"${didYouMean(first, ALL)}; expected ${ALL_TEXT}`,
    );
  }
  const flags = parseFlags(first, rest);
  if (flags.help) {
    process.stdout.write(helpText(first));
    return EXIT_OK;
  }
  switch (first) {
    case 'mcp':
      return mcpCommand(flags);
    case 'run':
      return runCommand(flags);
    case 'types':
      return typesCommand(flags);
  }
}

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

function isStorageCommand(word: string): word is StorageCommand {
  return (STORAGE_COMMANDS as readonly string[]).includes(word);
}
