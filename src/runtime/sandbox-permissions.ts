// What a sandbox process may touch under Node's permission model, resolved once at start-up: its own code,
// isolated-vm, and what isolated-vm's loader reads, each found the way Node finds it from isolated-vm's own
// folder (so hoisted, nested and pnpm layouts all work). Never a whole node_modules, the project, or a folder
// above it: a sandbox process that code broke out of finds nothing else to read, and can write nothing,
// spawn nothing and start no workers (no --allow-fs-write, --allow-child-process, --allow-worker).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ReadablePath {
  path: string;
  reason: string;
}

export interface SandboxPermissions {
  /** The flag that turns the permission model on: `--permission`, or `--experimental-permission` on Node 20. */
  flag: '--permission' | '--experimental-permission';
  /** What the process may read, each an absolute folder (ending in the separator: all it holds) or one file, and why. */
  readable: ReadablePath[];
  /** isolated-vm's entry module, which the sandbox process requires by this path (no module lookup of its own). */
  ivmEntry: string;
  /** isolated-vm's version, for diagnostics. */
  ivmVersion: string;
  /** The Node flags that start a sandbox process under these permissions. */
  execArgv: string[];
}

/** node-gyp-build, which isolated-vm ≥ 6 loads its binary with, asks whether the system is Alpine (musl) here. */
const LIBC_PROBE = '/etc/alpine-release';
/** isolated-vm ≥ 6 finds its prebuilt binary through this package (its package.json, then its code). */
const BINARY_LOADER = 'node-gyp-build';

/** The folder holding the compiled `sandbox/` and `bridge/` code a sandbox process runs; nothing else of codemode runs there. */
export const CODE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

let resolved: SandboxPermissions | undefined;

/**
 * The permissions of the sandbox processes this host starts (resolved on first use). `codeRoot` is for tests
 * that run sandbox code built elsewhere; the host's own code by default.
 */
export function sandboxPermissions(codeRoot: string = CODE_ROOT): SandboxPermissions {
  const ivmPackageJson = () => createRequire(import.meta.url).resolve('isolated-vm/package.json');
  if (codeRoot !== CODE_ROOT) return resolvePermissions(ivmPackageJson(), codeRoot);
  resolved ??= resolvePermissions(ivmPackageJson());
  return resolved;
}

/**
 * Resolves the permissions for the isolated-vm whose package.json is at `ivmPackageJson`. Exported for tests,
 * which point it at package layouts of their own.
 */
export function resolvePermissions(ivmPackageJson: string, codeRoot: string = CODE_ROOT): SandboxPermissions {
  const ivmFolder = dirname(ivmPackageJson);
  const manifest = JSON.parse(readFileSync(ivmPackageJson, 'utf8')) as { version?: string; dependencies?: Record<string, string> };
  const ivmVersion = manifest.version ?? 'unknown';
  const readable: ReadablePath[] = [
    { path: asFolder(join(codeRoot, 'sandbox')), reason: 'the sandbox code (process entry, isolate setup, harness)' },
    { path: asFolder(join(codeRoot, 'bridge')), reason: 'the bridge code the sandbox code imports (codec, protocol)' },
    { path: asFolder(ivmFolder), reason: `isolated-vm ${ivmVersion}: its code and native binary` },
  ];
  if (manifest.dependencies?.[BINARY_LOADER] !== undefined) {
    const { lookup, real } = packageFolder(ivmPackageJson, BINARY_LOADER);
    readable.push({ path: asFolder(lookup), reason: `${BINARY_LOADER}, which isolated-vm loads its binary with` });
    if (real !== lookup) readable.push({ path: asFolder(real), reason: `${BINARY_LOADER}'s real folder (the path above is a symlink)` });
    if (process.platform === 'linux') readable.push({ path: LIBC_PROBE, reason: `${BINARY_LOADER}'s libc probe (musl or glibc binary), this one file` });
  }
  const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  return {
    flag,
    readable,
    ivmEntry: createRequire(ivmPackageJson).resolve('./'),
    ivmVersion,
    execArgv: [flag, '--allow-addons', ...readable.map(({ path }) => `--allow-fs-read=${path}`)],
  };
}

/**
 * The folder of package `name` as `require` finds it from the package at `fromPackageJson`: the path Node looks
 * it up by (which may pass through a symlink, as in pnpm's layout) and the real path it then loads files from.
 */
function packageFolder(fromPackageJson: string, name: string): { lookup: string; real: string } {
  const lookups = createRequire(fromPackageJson).resolve.paths(name) ?? [];
  const found = lookups.map((folder) => join(folder, name)).find((folder) => existsSync(join(folder, 'package.json')));
  if (found === undefined) {
    throw new Error(`isolated-vm at ${dirname(fromPackageJson)} needs ${name}, which cannot be found from there (looked in ${lookups.join(', ')})`);
  }
  return { lookup: found, real: realpathSync(found) };
}

function asFolder(path: string): string {
  return path.endsWith(sep) ? path : path + sep;
}
