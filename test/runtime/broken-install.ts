// A real install of codemode in which isolated-vm's native binary is missing, as when a package manager
// skipped isolated-vm's install script: codemode's built code and package.json copied into a temp project,
// isolated-vm's own package.json and entry copied without its binary, every other dependency symlinked to
// this repository's. Host code loads fine there; every sandbox process fails to start. Not a test file.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface BrokenInstall {
  /** The installed codemode's folder. */
  root: string;
  /** Its built CLI, as `npx codemode` runs it. */
  cli: string;
  /** Its public entry, to import(). */
  entry: string;
  remove(): void;
}

export function brokenInstall(): BrokenInstall {
  const project = realpathSync(mkdtempSync(join(tmpdir(), 'codemode-broken-')));
  const modules = join(project, 'node_modules');
  const root = join(modules, 'codemode');
  mkdirSync(root, { recursive: true });
  cpSync(join(repo, 'package.json'), join(root, 'package.json'));
  for (const folder of ['src', 'capabilities']) cpSync(join(repo, 'dist', folder), join(root, 'dist', folder), { recursive: true });
  const ivm = dirname(createRequire(import.meta.url).resolve('isolated-vm/package.json'));
  mkdirSync(join(modules, 'isolated-vm'));
  for (const file of ['package.json', 'isolated-vm.js']) cpSync(join(ivm, file), join(modules, 'isolated-vm', file));
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name === 'isolated-vm' || name === '.bin' || name.startsWith('.package-lock')) continue;
    symlinkSync(join(repo, 'node_modules', name), join(modules, name));
  }
  return {
    root,
    cli: join(root, 'dist', 'src', 'cli', 'main.js'),
    entry: pathToFileURL(join(root, 'dist', 'src', 'index.js')).href,
    remove: () => rmSync(project, { recursive: true, force: true }),
  };
}
