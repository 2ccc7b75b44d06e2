// `codemode artifacts list|get NAME [-o FILE]|rm NAME` and `codemode workflows list|show NAME|add FILE|rm NAME`: the
// store a host, an MCP server and model code share, seen from the terminal. `--storage DIR` (default
// `.codemode` in the working directory) or `--redis URL` choose it. Store refusals (a missing name, a bad
// name, an unreachable Redis) are one line on stderr.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { CodemodeError } from '../errors.js';
import { Artifacts, FileStorage, RedisStorage, Workflows, type Storage } from '../storage/index.js';
import { EXIT_OK, EXIT_RUN_FAILED, UsageError, didYouMean } from './usage.js';

export const STORAGE_COMMANDS = ['artifacts', 'workflows'] as const;
export type StorageCommand = (typeof STORAGE_COMMANDS)[number];

/** Where the CLI keeps artifacts and workflows when neither --storage nor --redis is given. */
export const DEFAULT_STORAGE_DIR = '.codemode';

const ACTIONS: Record<StorageCommand, readonly string[]> = { artifacts: ['list', 'get', 'rm'], workflows: ['list', 'show', 'add', 'rm'] };
const OPTIONS = {
  storage: { type: 'string' },
  redis: { type: 'string' },
  output: { type: 'string', short: 'o' },
  name: { type: 'string' },
  description: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const STORE_FLAGS = `Store (one of):
  --storage DIR            a folder (default ${DEFAULT_STORAGE_DIR}/ in the working directory)
  --redis URL              a Redis server, e.g. redis://127.0.0.1:6379`;

export const STORAGE_HELP: Record<StorageCommand, string> = {
  artifacts: `Usage: codemode artifacts list|get NAME [-o FILE]|rm NAME [flags]

Artifacts are data that model code saved with codemode.artifacts.save (or the host with Artifacts.save).
  list                     name, kind, content type, size and last update of each artifact
  get NAME                 the stored bytes to stdout, or to FILE with -o FILE
  rm NAME                  delete it

${STORE_FLAGS}
  -o, --output FILE        with get: write to FILE instead of stdout
  -h, --help               show this help`,
  workflows: `Usage: codemode workflows list|show NAME|add FILE|rm NAME [flags]

Workflows are reusable code saved in the store: TypeScript or JavaScript defining
async function run(input) { ... }, called by model code as codemode.workflows.<name>(input).
  list                     name, version, last update and description of each workflow
  show NAME                its description and code
  add FILE                 type-check FILE against the API and save it (refused with the
                           type errors, at lines of FILE, when it does not compile)
  rm NAME                  delete it

${STORE_FLAGS}
  --name NAME              with add: the workflow's name (default: FILE's name, e.g. sumRows.ts)
  --description TEXT       with add: one line about it (default: FILE's leading comment)
  --config FILE            with add: the server's config; its capabilities are the API the
                           workflow is checked against (default: none, only other workflows)
  -h, --help               show this help`,
};

export async function storageCommand(command: StorageCommand, args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${STORAGE_HELP[command]}\n`);
    return EXIT_OK;
  }
  const [action, name, ...extra] = positionals;
  if (action === undefined || !ACTIONS[command].includes(action)) {
    const expected = ACTIONS[command].join(', ');
    throw new UsageError(action === undefined ? `${command} needs an action: ${expected}` : `unknown ${command} action "${action}"${didYouMean(action, ACTIONS[command])}; expected ${expected}`);
  }
  if (action === 'list' ? name !== undefined : name === undefined || extra.length > 0) {
    throw new UsageError(action === 'list' ? `${command} list takes no arguments, got ${positionals.slice(1).join(' ')}` : `${command} ${action} takes one ${action === 'add' ? 'FILE' : 'NAME'}`);
  }
  if (values.output !== undefined && action !== 'get') throw new UsageError(`-o/--output goes with ${command} get only`);
  for (const flag of ['name', 'description', 'config'] as const) {
    if (values[flag] !== undefined && action !== 'add') throw new UsageError(`--${flag} goes with workflows add only`);
  }
  const storage = openStorage(values.storage, values.redis);
  try {
    if (action === 'add') return await addWorkflow(storage, name!, values);
    return command === 'artifacts' ? await artifacts(storage, action, name, values.output) : await workflows(storage, action, name);
  } catch (error) {
    if (!(error instanceof CodemodeError)) throw error;
    throw new UsageError(error.message, error.code === 'INVALID_NAME' ? undefined : EXIT_RUN_FAILED);
  } finally {
    await storage.close();
  }
}

/** The store of --storage DIR or --redis URL (default: `.codemode/`, made on the first save). */
export function openStorage(dir: string | undefined, redis: string | undefined): Storage {
  if (dir !== undefined && redis !== undefined) throw new UsageError('give --storage DIR or --redis URL, not both');
  try {
    return redis !== undefined ? new RedisStorage({ url: redis }) : new FileStorage({ dir: dir ?? DEFAULT_STORAGE_DIR });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.replace(/^(File|Redis)Storage: /, '') : String(error));
  }
}

async function artifacts(storage: Storage, action: string, name: string | undefined, output: string | undefined): Promise<number> {
  const store = new Artifacts(storage);
  if (action === 'list') {
    const rows = (await store.list()).map((a) => [a.name, a.kind, a.contentType, String(a.size), a.updatedAt]);
    process.stdout.write(table(['NAME', 'KIND', 'CONTENT TYPE', 'BYTES', 'UPDATED'], rows));
    return EXIT_OK;
  }
  if (action === 'get') {
    const artifact = await store.read({ name: name! });
    if (output === undefined) process.stdout.write(artifact.bytes);
    else await writeFile(output, artifact.bytes);
    return EXIT_OK;
  }
  if (!(await store.delete({ name: name! }))) throw new CodemodeError('NOT_FOUND', `no artifact named ${JSON.stringify(name)} in ${storage.location}`);
  return EXIT_OK;
}

async function workflows(storage: Storage, action: string, name: string | undefined): Promise<number> {
  const store = new Workflows(storage);
  if (action === 'list') {
    const rows = (await store.list()).map((w) => [w.name, String(w.version), w.updatedAt, `${w.stale === undefined ? '' : '(stale) '}${w.description.split('\n')[0]}`]);
    process.stdout.write(table(['NAME', 'VERSION', 'UPDATED', 'DESCRIPTION'], rows));
    return EXIT_OK;
  }
  const missing = () => new CodemodeError('NOT_FOUND', `no workflow named ${JSON.stringify(name)} in ${storage.location}`);
  if (action === 'show') {
    const workflow = await store.get({ name: name! });
    if (workflow === undefined) throw missing();
    const stale = workflow.stale === undefined ? '' : `// stale: ${workflow.stale.split('\n').join('\n//        ')}\n`;
    process.stdout.write(`// ${workflow.name} (version ${workflow.version}, ${workflow.updatedAt}): ${workflow.description}\n${stale}${workflow.code}${workflow.code.endsWith('\n') ? '' : '\n'}`);
    return EXIT_OK;
  }
  if (!(await store.delete({ name: name! }))) throw missing();
  return EXIT_OK;
}

/**
 * `workflows add FILE`: the same check as `executor.workflows.save`, against the capabilities of `--config`
 * (what a server started with that config offers) and the workflows already in the store.
 */
async function addWorkflow(storage: Storage, file: string, values: { name?: string | undefined; description?: string | undefined; config?: string | undefined }): Promise<number> {
  let code: string;
  try {
    code = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const name = values.name ?? basename(file, extname(file));
  if (values.name === undefined && !/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new UsageError(`"${name}" (from the file name) is not a workflow name; give one with --name, e.g. --name ${name.replace(/[^\w$]+(.)/g, (_all, next: string) => next.toUpperCase()).replace(/^[^A-Za-z_$]+/, '') || 'myWorkflow'}`);
  }
  const description = values.description ?? leadingComment(code);
  if (description === undefined || description === '') throw new UsageError(`${file} starts with no comment to describe it; give one line with --description TEXT`);
  // Loaded here only: list, show and rm start without the executor and the capabilities.
  const [{ Executor }, { capabilitiesOf, resolveSettings }] = await Promise.all([import('../executor/executor.js'), import('./settings.js')]);
  const capabilities = values.config === undefined ? [] : capabilitiesOf(resolveSettings({ fs: [], env: [], net: [], modules: [], help: false, positionals: [], config: values.config }));
  const executor = new Executor({ capabilities, storage, minProcesses: 0 });
  try {
    const saved = await executor.workflows!.save({ name, description, code });
    process.stdout.write(`saved workflow ${saved.name} (version ${saved.version}) in ${storage.location}\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CodemodeError && error.code === 'WORKFLOW_INVALID') throw new UsageError(error.message.replace(/^workflow "[^"]*" does not compile, so it was not saved:\n/, `${file} does not compile, so it was not saved:\n`).replace(/^line /gm, `${file}:`), EXIT_RUN_FAILED);
    throw error;
  } finally {
    await executor.close();
  }
}

/** The first comment of the code, as one line: `// ...` lines or a `/* ... *\/` block before anything else. */
export function leadingComment(code: string): string | undefined {
  const text = code.replace(/^#![^\n]*\n/, '').trimStart();
  const block = /^\/\*\*?([\s\S]*?)\*\//.exec(text);
  const raw = block ? block[1]! : /^(?:\/\/[^\n]*(?:\n|$))+/.exec(text)?.[0]?.replace(/^\s*\/\/ ?/gm, '');
  if (raw === undefined) return undefined;
  // The first paragraph: a blank line (or a JSDoc tag) ends it.
  const lines = raw.split('\n').map((line) => line.replace(/^\s*\* ?/, '').trim());
  const end = lines.findIndex((line, index) => index > 0 && (line === '' || line.startsWith('@')) && lines.slice(0, index).some((l) => l !== ''));
  return (end === -1 ? lines : lines.slice(0, end)).filter((line) => line !== '').join(' ').trim();
}

/** Left-aligned columns under a header; nothing at all for an empty store. */
function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
