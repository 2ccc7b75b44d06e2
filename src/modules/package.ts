// Finds a module the host configured (`modules: ['papaparse']`) among the host project's installed packages,
// the way Node would from the project's folder, and reads what the rest of src/modules needs: its version,
// its folder, and its type declarations (its own, or the `@types/…` package). Synchronous and small (a few
// stat and read calls per module, once, in the Executor's constructor). Never loads the package's code.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { CodemodeError, describeValue } from '../errors.js';

/** An npm package name (no path inside it): `papaparse`, `date-fns`, `@scope/name`. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/** Longest name npm accepts. */
const MAX_NAME_CHARS = 214;

export interface ModulePackage {
  /** As configured, and as model code imports it. */
  name: string;
  version: string;
  /** The package's folder (real path). */
  folder: string;
  /** Absolute path of the `.d.ts` that types its main entry, if there is one. */
  types?: string;
}

interface Manifest {
  name?: unknown;
  version?: unknown;
  types?: unknown;
  typings?: unknown;
  main?: unknown;
  exports?: unknown;
}

export function checkModuleName(name: unknown, field: string): string {
  if (typeof name !== 'string' || name.length > MAX_NAME_CHARS || !PACKAGE_NAME.test(name)) {
    throw new CodemodeError('INVALID_OPTION', `expected \`${field}\` to be an npm package name such as "papaparse" or "@scope/name", got ${describeValue(name)}`);
  }
  return name;
}

/** The installed package `name` as Node finds it from `root` (a folder of the host project). */
export function findPackage(name: string, root: string): ModulePackage {
  const folder = packageFolder(name, root);
  if (folder === undefined) {
    throw new CodemodeError('MODULE_NOT_FOUND', `module "${name}" is not installed in ${resolve(root)}: run \`npm install ${name}\` there, or set \`moduleRoot\` to the project that has it`);
  }
  const manifest = readManifest(join(folder, 'package.json'));
  const version = typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  const types = ownTypes(folder, manifest) ?? typesPackage(name, root);
  return { name, version, folder, ...(types ? { types } : {}) };
}

function packageFolder(name: string, root: string): string | undefined {
  const lookups = createRequire(join(resolve(root), 'noop.js')).resolve.paths(name) ?? [];
  const found = lookups.map((folder) => join(folder, name)).find((folder) => existsSync(join(folder, 'package.json')));
  return found === undefined ? undefined : realpathSync(found);
}

/** A package.json larger than this is not one a module can have: it is not read. */
const MAX_MANIFEST_BYTES = 1 << 20;

function readManifest(path: string): Manifest {
  try {
    // A plain file of sane size only: the constructor reads it synchronously.
    const stats = statSync(path);
    if (!stats.isFile() || stats.size > MAX_MANIFEST_BYTES) return {};
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Manifest) : {};
  } catch {
    return {};
  }
}

/** The package's own declarations: `exports['.']`'s `types` condition, `types`/`typings`, or the main file's `.d.ts`. */
function ownTypes(folder: string, manifest: Manifest): string | undefined {
  const candidates: unknown[] = [];
  const root = typeof manifest.exports === 'object' && manifest.exports !== null ? ((manifest.exports as Record<string, unknown>)['.'] ?? manifest.exports) : undefined;
  candidates.push(typesCondition(root, 0), manifest.types, manifest.typings);
  if (typeof manifest.main === 'string') candidates.push(manifest.main.replace(/\.(c|m)?js$/, '') + '.d.ts');
  candidates.push('index.d.ts');
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || !/\.d\.(c|m)?ts$/.test(candidate)) continue;
    const path = join(folder, candidate);
    if (path.startsWith(folder) && existsSync(path)) return path;
  }
  return undefined;
}

/** The first `types` target in a conditional `exports` entry, preferring `import` over `require`. */
function typesCondition(entry: unknown, depth: number): string | undefined {
  if (typeof entry !== 'object' || entry === null || depth > 4) return undefined;
  const conditions = entry as Record<string, unknown>;
  if (typeof conditions['types'] === 'string') return conditions['types'];
  for (const key of ['import', 'default', 'browser', 'require']) {
    const found = typesCondition(conditions[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `@types/<name>` (`@scope/name` → `@types/scope__name`), when installed. */
function typesPackage(name: string, root: string): string | undefined {
  const typesName = `@types/${name.startsWith('@') ? name.slice(1).replace('/', '__') : name}`;
  const folder = packageFolder(typesName, root);
  return folder === undefined ? undefined : ownTypes(folder, readManifest(join(folder, 'package.json')));
}
