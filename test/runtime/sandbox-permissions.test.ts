// What a sandbox process may read, resolved from isolated-vm's own folder: on this machine's install, and on
// a pnpm-style layout built of real folders and symlinks (where Node finds node-gyp-build through a symlink
// beside isolated-vm, not in a hoisted node_modules).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolvePermissions, sandboxPermissions } from '../../src/runtime/sandbox-permissions.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'codemode-perm-')));
after(() => rmSync(root, { recursive: true, force: true }));

function writePackage(folder: string, manifest: object, files: Record<string, string> = {}): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'package.json'), JSON.stringify(manifest));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return join(folder, 'package.json');
}

describe('sandbox permissions', () => {
  test('on this install: the sandbox code, the bridge code and isolated-vm, plus its binary loader if it has one', () => {
    const permissions = sandboxPermissions();
    const ivmPackageJson = createRequire(import.meta.url).resolve('isolated-vm/package.json');
    const ivmManifest = createRequire(import.meta.url)('isolated-vm/package.json') as { version: string; dependencies?: Record<string, string> };
    const dist = join(dirname(createRequire(import.meta.url).resolve('../../src/runtime/sandbox-permissions.js')), '..');
    const expected = [join(dist, 'sandbox') + sep, join(dist, 'bridge') + sep, dirname(ivmPackageJson) + sep];
    if (ivmManifest.dependencies?.['node-gyp-build']) {
      const loader = dirname(createRequire(ivmPackageJson).resolve('node-gyp-build/package.json'));
      expected.push(loader + sep, '/etc/alpine-release');
    }
    assert.deepEqual(permissions.readable.map(({ path }) => path), expected);
    assert.equal(permissions.ivmVersion, ivmManifest.version);
    assert.equal(permissions.ivmEntry, createRequire(import.meta.url).resolve('isolated-vm'));
    assert.deepEqual(permissions.execArgv, [permissions.flag, '--allow-addons', ...expected.map((path) => `--allow-fs-read=${path}`)]);
  });

  test('isolated-vm 5 (no node-gyp-build) gets its own folder only, not its install-time dependencies', () => {
    const ivm = writePackage(join(root, 'v5', 'node_modules', 'isolated-vm'), { name: 'isolated-vm', version: '5.0.4', main: 'isolated-vm.js', dependencies: { 'prebuild-install': '^7.1.2' } }, { 'isolated-vm.js': '' });
    writePackage(join(root, 'v5', 'node_modules', 'prebuild-install'), { name: 'prebuild-install' });
    const { readable, ivmEntry, ivmVersion } = resolvePermissions(ivm);
    assert.deepEqual(readable.slice(2), [{ path: join(root, 'v5', 'node_modules', 'isolated-vm') + sep, reason: 'isolated-vm 5.0.4: its code and native binary' }]);
    assert.equal(ivmEntry, join(root, 'v5', 'node_modules', 'isolated-vm', 'isolated-vm.js'));
    assert.equal(ivmVersion, '5.0.4');
  });

  test('a pnpm layout: node-gyp-build by the symlink beside isolated-vm and by its real folder, never a hoisted copy or node_modules', () => {
    const store = join(root, 'pnpm', 'node_modules', '.pnpm');
    const ivmFolder = join(store, 'isolated-vm@6.2.0', 'node_modules', 'isolated-vm');
    const ivm = writePackage(ivmFolder, { name: 'isolated-vm', version: '6.2.0', main: 'isolated-vm.js', dependencies: { 'node-gyp-build': '^4.8.4' } }, { 'isolated-vm.js': '' });
    const loaderReal = join(store, 'node-gyp-build@4.8.4', 'node_modules', 'node-gyp-build');
    writePackage(loaderReal, { name: 'node-gyp-build', version: '4.8.4' }, { 'index.js': '' });
    const loaderLink = join(store, 'isolated-vm@6.2.0', 'node_modules', 'node-gyp-build');
    symlinkSync(loaderReal, loaderLink, 'dir');
    // A different copy hoisted higher up, which Node does not pick from isolated-vm's folder.
    writePackage(join(root, 'pnpm', 'node_modules', 'node-gyp-build'), { name: 'node-gyp-build', version: '3.0.0' });

    const { readable } = resolvePermissions(ivm);
    const expected = [ivmFolder + sep, loaderLink + sep, loaderReal + sep];
    if (process.platform === 'linux') expected.push('/etc/alpine-release');
    assert.deepEqual(readable.slice(2).map(({ path }) => path), expected);
    for (const { path } of readable) assert.ok(!path.endsWith(`node_modules${sep}`) && !root.startsWith(path), `${path} is too wide`);
  });

  test('a missing node-gyp-build is an error naming where Node looked', () => {
    const ivm = writePackage(join(root, 'broken', 'node_modules', 'isolated-vm'), { name: 'isolated-vm', version: '7.0.1', dependencies: { 'node-gyp-build': '^4' } }, { 'index.js': '' });
    assert.throws(() => resolvePermissions(ivm), (error: Error) => {
      assert.match(error.message, /^isolated-vm at .*broken\/node_modules\/isolated-vm needs node-gyp-build, which cannot be found from there \(looked in .*broken\/node_modules/);
      return true;
    });
  });
});
