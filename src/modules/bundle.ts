// Bundles one configured package into a self-contained script for the isolate, with esbuild (loaded on first
// use; it bundles in a service process of its own, so the host's main thread only waits). Platform neutral,
// preferring a package's browser build: nothing of Node is there. What needs Node is refused here, by name:
// an import of a Node built-in (`fs`, `net`, `stream`, ...), a native addon (`.node`), or a Node global
// (`process`, `Buffer`, ...) used without ever checking that it exists (`typeof process`), the way code that
// also runs in browsers does.
//
// The script's completion value is the package's namespace (`import * as ns`): a CommonJS package's
// `module.exports` is its `default`. Evaluated once per run that imports it, so no run sees another's.
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { CodemodeError } from '../errors.js';
import { MAX_MODULE_CHARS } from '../limits/table.js';
import type { ModulePackage } from './package.js';

/** A package made ready for the isolate. `key` names this exact source: a sandbox process compiles it once. */
export interface BundledModule {
  name: string;
  version: string;
  key: string;
  source: string;
}

/** Node globals a module may only use behind a check that they exist. */
const NODE_GLOBALS = ['process', 'Buffer', 'global', '__dirname', '__filename', 'setImmediate', 'clearImmediate'] as const;
const MARKER = '__codemode_node_';
const BUILTINS = new Set(builtinModules.map((name) => name.replace(/^node:/, '')));

/** Bundles `pkg`, resolved from `root` (the folder `findPackage` looked it up from) as Node would. */
export async function bundleModule(pkg: ModulePackage, root: string): Promise<BundledModule> {
  const esbuild = await import('esbuild');
  const needs = new Set<string>();
  let output: string;
  try {
    const result = await esbuild.build({
      stdin: { contents: `export * as ns from ${JSON.stringify(pkg.name)};`, resolveDir: root, sourcefile: 'codemode-module-entry.js', loader: 'js' },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      mainFields: ['browser', 'module', 'main'],
      conditions: ['browser'],
      define: { 'process.env.NODE_ENV': '"production"', ...Object.fromEntries(NODE_GLOBALS.map((name) => [name, MARKER + name])) },
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'silent',
      plugins: [
        {
          name: 'codemode-refuse-node',
          setup(build) {
            build.onResolve({ filter: /.*/ }, ({ path }) => {
              const bare = path.replace(/^node:/, '');
              if (!path.startsWith('node:') && !BUILTINS.has(bare)) return undefined;
              needs.add(`the Node built-in "${bare}"`);
              return { path: bare, external: true };
            });
            build.onLoad({ filter: /\.node$/ }, ({ path }) => {
              needs.add(`native code (${path.slice(pkg.folder.length + 1) || path})`);
              return { contents: '', loader: 'js' };
            });
          },
        },
      ],
    });
    // Measured before it is decoded and scanned: UTF-8 has at least as many bytes as the text has characters.
    const bytes = result.outputFiles[0]!.contents.byteLength;
    if (bytes > MAX_MODULE_CHARS) throw new CodemodeError('MODULE_REFUSED', `module "${pkg.name}" bundles to ${bytes} bytes; a module may have at most ${MAX_MODULE_CHARS} characters`);
    output = result.outputFiles[0]!.text;
  } catch (error) {
    if (error instanceof CodemodeError) throw error;
    const errors = (error as { errors?: { text: string }[] }).errors;
    const detail = errors?.length ? errors.slice(0, 3).map((e) => e.text).join('; ') : error instanceof Error ? error.message : String(error);
    throw new CodemodeError('MODULE_REFUSED', `module "${pkg.name}" cannot be bundled for the sandbox: ${detail}`);
  }
  for (const name of unguardedGlobals(output)) needs.add(`the Node global \`${name}\``);
  if (needs.size > 0) {
    throw new CodemodeError('MODULE_REFUSED', `module "${pkg.name}" needs ${[...needs].join(', ')}, which the sandbox does not have: only modules that run without Node (as in a browser) can be loaded`);
  }
  // Guarded uses read as written again: `typeof process` is "undefined" in the isolate, as in a browser.
  const code = output.replaceAll(MARKER, '');
  const source = `(function () {\nvar module = { exports: {} }, exports = module.exports;\n${code}\nreturn module.exports.ns;\n})()`;
  if (source.length > MAX_MODULE_CHARS) {
    throw new CodemodeError('MODULE_REFUSED', `module "${pkg.name}" bundles to ${source.length} characters; a module may have at most ${MAX_MODULE_CHARS}`);
  }
  const key = `${pkg.name}@${pkg.version}#${createHash('sha256').update(source).digest('hex').slice(0, 16)}`;
  return { name: pkg.name, version: pkg.version, key, source };
}

/** Node globals the bundle uses and never checks for. */
function unguardedGlobals(output: string): string[] {
  const guarded = new Set<string>();
  const used = new Set<string>();
  for (const match of output.matchAll(new RegExp(`(typeof\\s*)?${MARKER}(\\w+)`, 'g'))) (match[1] ? guarded : used).add(match[2]!);
  return [...used].filter((name) => !guarded.has(name));
}
