// What `npm pack` puts in the package a user installs: the READMEs and the licence, the built code with
// source maps whose sources are in the package too, and no script that runs in a user's install.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// --ignore-scripts: the list only (prepack would rebuild dist under the running tests), so a local dist/
// holding outputs of since-moved modules shows here; `npm pack` itself starts from a clean dist/.
const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repo, encoding: 'utf8' })) as [{ files: Array<{ path: string }> }];
const files = new Set(packed.files.map((file) => file.path));

describe('the packed package', () => {
  test('has the README, the capabilities README it links to, and the MIT licence', () => {
    for (const file of ['README.md', 'capabilities/README.md', 'LICENSE', 'package.json']) assert.ok(files.has(file), `${file} is missing`);
    assert.match(readFileSync(join(repo, 'LICENSE'), 'utf8'), /^MIT License\n/);
    assert.equal(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).license, 'MIT');
  });

  test('has every entry point, the CLI and their declarations, and no tests, benches or examples', () => {
    for (const file of ['dist/src/index.js', 'dist/src/index.d.ts', 'dist/capabilities/index.js', 'dist/capabilities/index.d.ts', 'dist/src/mcp/index.js', 'dist/src/mcp/index.d.ts', 'dist/src/cli/main.js', 'dist/src/sandbox/main.js']) {
      assert.ok(files.has(file), `${file} is missing`);
    }
    assert.deepEqual([...files].filter((file) => /^(dist\/)?(test|bench|examples)\//.test(file)), []);
  });

  test("every source map's sources are in the package", () => {
    const maps = [...files].filter((file) => file.endsWith('.map'));
    assert.ok(maps.length > 0);
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(join(repo, map), 'utf8')) as { sources: string[] };
      return sources.map((source) => posix.join(posix.dirname(map), source)).filter((source) => !files.has(source));
    });
    assert.deepEqual(missing, []);
  });

  test('runs no script in a user install (the build runs on prepack)', () => {
    const { scripts } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(scripts[hook], undefined, `a "${hook}" script runs in users' installs`);
    // A clean build, so that files of modules since moved or removed never ship.
    assert.match(scripts.prepack!, /rmSync\('dist'.*&& tsc -p \.$/);
  });
});
