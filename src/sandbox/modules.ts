// Runs in the sandbox process: loads the modules a run imports into the run's context before its code runs.
// Each module's bundle (src/modules/bundle.ts) is kept by key once the host has sent it, and compiled once per
// process: the first compile makes V8's code cache, every later isolate compiles from it. Each run evaluates
// the bundle afresh in its own context, so what one run does to a module's exports no later run sees.
// Model code reaches the namespaces only through MODULES_GLOBAL, a frozen function over this run's table.
import type ivmModule from 'isolated-vm';
import { MODULE_FILENAME_PREFIX, MODULES_GLOBAL, type ModuleLoad } from '../bridge/protocol.js';

interface Kept {
  source: string;
  cache?: ivmModule.ExternalCopy<ArrayBuffer>;
}

/** Bundles by key, as the host sent them. Bounded by what the host configured (the host is trusted). */
const kept = new Map<string, Kept>();

/** A module could not be loaded (the run fails as `runtime` with this message). */
export class ModuleLoadError extends Error {}

/**
 * Installs `load(name)` (the namespace), `load.dynamic(name)` (a promise of it) and `load.default(name)`
 * (its `default`, or the namespace when it has none) as a non-enumerable global. Self-contained: evaluated
 * in the isolate.
 */
function install(globalName: string, joinedNames: string, ...namespaces: unknown[]): void {
  const names = joinedNames.split('\n');
  const table = Object.create(null) as Record<string, unknown>;
  for (let i = 0; i < names.length; i++) table[names[i]!] = namespaces[i];
  const SafePromise = Promise;
  const hasOwn = Object.prototype.hasOwnProperty;
  function load(name: string): Record<string, unknown> {
    if (!hasOwn.call(table, name)) throw new Error(`module "${name}" is not loaded in this run`);
    return table[name] as Record<string, unknown>;
  }
  load.dynamic = (name: string) => new SafePromise((resolve) => resolve(load(name)));
  load.default = (name: string) => {
    const namespace = load(name);
    return 'default' in namespace ? namespace['default'] : namespace;
  };
  Object.freeze(load);
  Object.defineProperty(globalThis, globalName, { value: load, writable: false, enumerable: false, configurable: true });
}

const INSTALL_SOURCE = `(${install})`;
const INSTALL: Kept = { source: INSTALL_SOURCE };

/** Compiles `entry` in `isolate`, from its code cache when there is one (made on the first compile). */
function compile(isolate: ivmModule.Isolate, entry: Kept, filename: string): ivmModule.Script {
  const script: ivmModule.Script & ivmModule.CachedDataResult & { cachedDataRejected?: boolean } = isolate.compileScriptSync(entry.source, {
    filename,
    ...(entry.cache ? { cachedData: entry.cache } : { produceCachedData: true }),
  });
  if (script.cachedDataRejected) delete entry.cache;
  else if (!entry.cache && script.cachedData) entry.cache = script.cachedData;
  return script;
}

/** Runs a module's script; what its own code throws becomes a ModuleLoadError (a timeout or memory error stays as it is). */
function evaluate(script: ivmModule.Script, context: ivmModule.Context, name: string, timeout: number): ivmModule.Reference {
  try {
    return script.runSync(context, { timeout, reference: true, release: true }) as ivmModule.Reference;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/timed out|memory limit|disposed/i.test(message)) throw error;
    throw new ModuleLoadError(`module "${name}" failed to load: ${error instanceof Error ? error.name : 'Error'}: ${message}`);
  }
}

/**
 * Keeps the bundles a run message carries. Called first for every run, before anything that may fail: the
 * host sends a bundle once per process, so one lost with a run that failed early would fail every later
 * run that imports it.
 */
export function keepModules(loads: readonly ModuleLoad[] | undefined): void {
  for (const load of loads ?? []) if (load.source !== undefined && !kept.has(load.key)) kept.set(load.key, { source: load.source });
}

/** Evaluates each module in `context` (within `deadline`, a `performance.now()` time) and installs the table. */
export function loadModules(isolate: ivmModule.Isolate, context: ivmModule.Context, loads: readonly ModuleLoad[], deadline: number): void {
  const timeout = () => Math.max(1, Math.floor(deadline - performance.now()));
  const namespaces: ivmModule.Reference[] = [];
  try {
    for (const load of loads) {
      const entry = kept.get(load.key);
      if (!entry) throw new ModuleLoadError(`module "${load.name}" was not sent to this sandbox process`);
      const script = compile(isolate, entry, MODULE_FILENAME_PREFIX + load.name);
      namespaces.push(evaluate(script, context, load.name, timeout()));
    }
    const installer = compile(isolate, INSTALL, 'codemode-modules.js').runSync(context, { reference: true, release: true }) as ivmModule.Reference<Function>;
    installer.applySync(undefined, [MODULES_GLOBAL, loads.map((load) => load.name).join('\n'), ...namespaces.map((namespace) => namespace.derefInto())], { timeout: timeout() });
    installer.release();
  } finally {
    for (const namespace of namespaces) namespace.release();
  }
}
