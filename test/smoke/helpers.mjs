// Shared by the smoke suites, which test the package as a user installed it: everything comes from
// 'codemode' by package name (in this repository through the package's self-reference; in CI from the packed
// tarball installed into an empty project on Node 22 and 24). Not a test file itself.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const packageJsonPath = require.resolve('codemode/package.json');

/** The installed `codemode` command, as `npx codemode` runs it. */
export const CLI = join(dirname(packageJsonPath), JSON.parse(readFileSync(packageJsonPath, 'utf8')).bin.codemode);

/** A real temp directory holding `files`; `remove()` deletes it. */
export function tempDir(files = {}) {
  const path = realpathSync(mkdtempSync(join(tmpdir(), 'codemode-smoke-')));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(path, name), text);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs the installed CLI with `args`; resolves with its exit code and output. */
export function cli(args, { input = '', cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
