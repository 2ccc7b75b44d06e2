// The modules of one executor (`modules: ['papaparse', 'date-fns']`): found in the host project when the
// executor is made, bundled and tried once on first use (or `warmup()`), then sent to each sandbox process
// the first time one of its runs imports them. A module is tried by loading it in a real run with the
// executor's memory limit and a bounded time: one whose code throws, loops or allocates without bound when
// it loads is refused here, with a CodemodeError, and never reaches a model's run.
import type { RunResult } from '../results/types.js';
import type { ModuleLoad } from '../bridge/protocol.js';
import { CodemodeError, describeValue } from '../errors.js';
import type { SandboxProcess } from '../runtime/sandbox-process.js';
import { prepareWorkers } from '../prepare/workers.js';
import { moduleTypesLine } from '../types/check.js';
import { bundleModule, type BundledModule } from './bundle.js';
import { checkModuleName, findPackage, type ModulePackage } from './package.js';

/** Loading a module at configuration time may take at most this long (or the run time limit, if shorter). */
export const MODULE_LOAD_TIMEOUT_MS = 10_000;
/** The exports of a module kept for `search` and descriptions (a library with hundreds lists its first ones). */
const MAX_LISTED_EXPORTS = 400;
/** An export's name as listed (`typeof` gives the type, a short word). */
const MAX_EXPORT_NAME = 200;
const MAX_EXPORT_TYPE = 20;
/** Reading a module's export signatures from its declarations, in a preparation worker, at most. */
const SIGNATURES_MS = 30_000;

/** A module bundled and tried: ready for runs. */
export interface LoadedModule extends BundledModule {
  /**
   * Its exports, by name, with what each is (`function`, `object`, ...), in the order the module has them,
   * and the signature its declarations give (when it has declarations that name it).
   */
  exports: { name: string; type: string; signature?: string }[];
  /** Absolute path of its type declarations, when it has any. */
  types?: string;
  /** Settles when its exports carry their signatures (read after it loads, for `search`). */
  described?: Promise<void>;
}

/** A configured module as the host sees it (`executor.modules()`). */
export interface ModuleInfo {
  name: string;
  version: string;
  /** Its export names, once it has been tried (the first run, or `warmup()`). */
  exports?: string[];
}

/** Runs `code`, which imports `module` and returns its exports' names and types, in a real sandbox run (the executor's). */
export type ModuleProbe = (code: string, module: LoadedModule, timeoutMs: number) => Promise<RunResult>;

/** Which module bundles each sandbox process has been sent (a process keeps them for its life). */
const sent = new WeakMap<SandboxProcess, Set<string>>();

export class ModuleSet {
  readonly packages: readonly ModulePackage[];
  private readonly root: string;
  private loading: Promise<LoadedModule[]> | undefined;
  private loaded: LoadedModule[] | undefined;

  /** Finds every module now (throws MODULE_NOT_FOUND or INVALID_OPTION); bundles none yet. */
  constructor(names: unknown, root: unknown) {
    if (!Array.isArray(names)) throw new CodemodeError('INVALID_OPTION', `expected \`modules\` to be an array of package names, got ${describeValue(names)}`);
    if (typeof root !== 'string' || root === '') throw new CodemodeError('INVALID_OPTION', `expected \`moduleRoot\` to be a folder path, got ${describeValue(root)}`);
    const seen = new Set<string>();
    this.packages = names.map((name: unknown, index) => {
      const checked = checkModuleName(name, `modules[${index}]`);
      if (seen.has(checked)) throw new CodemodeError('INVALID_OPTION', `\`modules\` names "${checked}" twice`);
      seen.add(checked);
      return findPackage(checked, root);
    });
    this.root = root;
  }

  get names(): string[] {
    return this.packages.map((pkg) => pkg.name);
  }

  /**
   * Bundles and tries every module, once (later calls share the first one's outcome). Rejects with
   * MODULE_REFUSED naming the module and what it needs or did.
   */
  ready(probe: ModuleProbe, timeoutMs: number): Promise<LoadedModule[]> {
    this.loading ??= Promise.all(this.packages.map(async (pkg) => tryLoad(pkg, await bundleModule(pkg, this.root), probe, Math.min(timeoutMs, MODULE_LOAD_TIMEOUT_MS)))).then(
      (loaded) => {
        this.loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        // What a module is (needs Node, throws, loops, too big) stays refused; a sandbox that crashed or
        // could not start says nothing about the module, so the next run tries again.
        if (!(error instanceof CodemodeError && error.code === 'MODULE_REFUSED') || error.message.includes(CRASHED)) this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /** Ready, and every export's signature read (as far as the declarations give them). */
  async described(probe: ModuleProbe, timeoutMs: number): Promise<void> {
    await Promise.all((await this.ready(probe, timeoutMs)).map((module) => module.described));
  }

  /** The modules once ready; undefined before. */
  get current(): readonly LoadedModule[] | undefined {
    return this.loaded;
  }

  info(): ModuleInfo[] {
    return this.packages.map(({ name, version }, index) => {
      const loaded = this.loaded?.[index];
      return loaded ? { name, version, exports: loaded.exports.map((entry) => entry.name) } : { name, version };
    });
  }

  /** Lines the type checker reads to find each module's declarations (see src/types/check.ts). */
  typeLines(): string {
    return this.packages.map((pkg) => (pkg.types ? moduleTypesLine(pkg.name, pkg.types) + '\n' : '')).join('');
  }
}

/** What to send with a run to `process` for the modules it imports: each bundle's source only the first time. */
export function moduleLoads(process: SandboxProcess, modules: readonly BundledModule[]): ModuleLoad[] {
  let keys = sent.get(process);
  if (!keys) sent.set(process, (keys = new Set()));
  return modules.map(({ name, key, source }) => {
    if (keys.has(key)) return { name, key };
    keys.add(key);
    return { name, key, source };
  });
}

/** The code that tries a module: it imports it and lists its exports. */
function probeCode(name: string): string {
  return `import * as loaded from ${JSON.stringify(name)};\nconst found = [];\nfor (const name of Object.keys(loaded).slice(0, ${MAX_LISTED_EXPORTS})) found.push({ name, type: typeof loaded[name] });\nreturn found;`;
}

async function tryLoad(pkg: ModulePackage, bundled: BundledModule, probe: ModuleProbe, timeoutMs: number): Promise<LoadedModule> {
  const module: LoadedModule = { ...bundled, exports: [], ...(pkg.types ? { types: pkg.types } : {}) };
  // Signatures are for `search` only: runs do not wait for them (`described` does).
  const signatures = readSignatures(pkg);
  const result = await probe(probeCode(pkg.name), module, timeoutMs);
  if (!result.ok) throw new CodemodeError('MODULE_REFUSED', `module "${pkg.name}" ${loadFailure(result.error, timeoutMs)}`);
  module.exports = exportsOf(result.value);
  module.described = signatures.then((found) => {
    module.exports = module.exports.map((entry) => (found[entry.name] ? { ...entry, signature: found[entry.name]! } : entry));
  });
  return module;
}

/** The signatures of the module's exports from its declarations; none when it has none, or they cannot be read. */
async function readSignatures(pkg: ModulePackage): Promise<Record<string, string>> {
  if (!pkg.types) return {};
  const job = { code: '', declarations: `${moduleTypesLine(pkg.name, pkg.types)}\n`, signatures: { module: pkg.name } };
  const outcome = await prepareWorkers.run(job, SIGNATURES_MS);
  return outcome.type === 'answer' && outcome.answer.ok ? (outcome.answer.signatures ?? {}) : {};
}

/**
 * The probe's list, as the host takes it: it comes from a sandbox process where the module's own code ran
 * (it may have replaced Object.keys or Array.prototype.push), so its shape and size are checked here.
 */
function exportsOf(value: unknown): LoadedModule['exports'] {
  if (!Array.isArray(value)) return [];
  const found: { name: string; type: string }[] = [];
  for (const entry of value.slice(0, MAX_LISTED_EXPORTS) as unknown[]) {
    const { name, type } = (typeof entry === 'object' && entry !== null ? entry : {}) as { name?: unknown; type?: unknown };
    if (typeof name === 'string' && name.length <= MAX_EXPORT_NAME && typeof type === 'string' && type.length <= MAX_EXPORT_TYPE) found.push({ name, type });
  }
  return found;
}

const CRASHED = 'crashed the sandbox process while loading';

function loadFailure(error: { kind: string; name: string; message: string }, timeoutMs: number): string {
  switch (error.kind) {
    case 'timeout':
      return `did not finish loading within ${timeoutMs} ms in the sandbox: its code loops or works too long when it loads`;
    case 'memory':
      return `needs more memory to load than the run's memory limit (memoryLimitMb): ${error.message}`;
    case 'crashed':
      return `${CRASHED}: ${error.message}`;
    default: {
      const cause = error.message.replace(/^module "[^"]*" failed to load: /, '');
      const missing = /^ReferenceError: (\S+) is not defined$/.exec(cause)?.[1];
      if (missing) return `needs the global \`${missing}\`, which the sandbox does not have (it has standard JavaScript only: no Node, no browser APIs)`;
      return `fails when it loads in the sandbox: ${cause}`;
    }
  }
}
