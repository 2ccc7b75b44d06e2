// Flag parsing without a process: repeated and comma-separated values, the order of filesystem roots,
// numbers checked by kind, suggestions for typos, and how flags and a config file combine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseFlags } from '../../src/cli/args.js';
import { resolveSettings } from '../../src/cli/settings.js';
import { UsageError } from '../../src/cli/usage.js';

const dir = mkdtempSync(join(tmpdir(), 'codemode-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const usage = (message: string) => (error: unknown) => error instanceof UsageError && error.message === message;

describe('parseFlags', () => {
  test('repeated and comma-separated values add up; fs roots keep the order given', () => {
    const flags = parseFlags('mcp', ['--allow-write', 'out', '--allow-read', 'data,docs', '--allow-env=HOME', '--allow-env', 'APP_*,CI', '--allow-net', 'api.example.com']);
    assert.deepEqual(flags.fs, [
      { path: 'out', write: true },
      { path: 'data', write: false },
      { path: 'docs', write: false },
    ]);
    assert.deepEqual(flags.env, ['HOME', 'APP_*', 'CI']);
    assert.deepEqual(flags.net, ['api.example.com']);
  });

  test('numbers are checked with their unit and range', () => {
    assert.deepEqual(
      (({ timeoutMs, memoryMb, http }) => ({ timeoutMs, memoryMb, http }))(parseFlags('mcp', ['--timeout', '5000', '--memory', '64', '--http', '0'])),
      { timeoutMs: 5000, memoryMb: 64, http: 0 },
    );
    assert.throws(() => parseFlags('run', ['--memory', '4']), usage('expected `--memory` to be an integer from 8 to 16384 (megabytes), got `"4"` (string)'));
    assert.throws(() => parseFlags('mcp', ['--http', '70000']), usage('expected `--http` to be an integer from 0 to 65535 (a TCP port), got `"70000"` (string)'));
  });

  test('a lone - is a positional (stdin), and -h is help', () => {
    const flags = parseFlags('run', ['-', '-h']);
    assert.deepEqual([flags.positionals, flags.help], [['-'], true]);
  });
});

describe('resolveSettings', () => {
  test('flags add to the config lists and replace its single values; a path granted twice is writable once', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ allowRead: ['data'], allowEnv: ['HOME'], timeout: 1000, search: true }));
    const settings = resolveSettings(parseFlags('mcp', ['--config', file, '--allow-write', join(dir, 'data'), '--allow-env', 'HOME,CI', '--timeout', '2000']), {});
    assert.deepEqual(settings.fs, [{ path: join(dir, 'data'), write: true }]);
    assert.deepEqual(settings.env, ['HOME', 'CI']);
    assert.equal(settings.timeoutMs, 2000);
    assert.equal(settings.search, true);
  });

  test('the token comes from --token or CODEMODE_TOKEN, flag first', () => {
    assert.equal(resolveSettings(parseFlags('mcp', ['--http', '0']), { CODEMODE_TOKEN: 'env' }).token, 'env');
    assert.equal(resolveSettings(parseFlags('mcp', ['--http', '0', '--token', 'flag']), { CODEMODE_TOKEN: 'env' }).token, 'flag');
    assert.equal(resolveSettings(parseFlags('mcp', ['--http', '0']), {}).token, undefined);
  });

  test('a config that is not JSON is one line', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ allowRead: [');
    assert.throws(() => resolveSettings(parseFlags('types', ['--config', file]), {}), (error: unknown) => error instanceof UsageError && error.message.startsWith(`cannot read config ${file}: `));
  });

  test('config values of the wrong type name the key and show the value', () => {
    const file = join(dir, 'typed.json');
    writeFileSync(file, JSON.stringify({ allowNet: 'api.example.com' }));
    assert.throws(() => resolveSettings(parseFlags('types', ['--config', file]), {}), usage(`config ${file}: expected \`allowNet\` to be an array of non-empty strings, got \`"api.example.com"\` (string)`));
  });
});

describe('--module', () => {
  test('repeats and takes comma-separated names; the config file adds its own, found from its folder', () => {
    assert.deepEqual(parseFlags('mcp', ['--module', 'papaparse', '--module=date-fns,zod']).modules, ['papaparse', 'date-fns', 'zod']);
    const config = join(dir, 'modules.json');
    writeFileSync(config, JSON.stringify({ modules: ['papaparse'] }));
    const settings = resolveSettings(parseFlags('run', ['--config', config, '--module', 'papaparse', '--module', 'date-fns']), {});
    assert.deepEqual([settings.modules, settings.moduleRoot], [['papaparse', 'date-fns'], dir]);
  });

  test('is a flag of mcp and run only, and a name must be a package name', () => {
    assert.throws(() => parseFlags('types', ['--module', 'papaparse']), usage('--module is a flag of codemode mcp, not of types'));
    assert.throws(() => resolveSettings(parseFlags('run', ['--module', './local.js']), {}), usage('expected `--module` to be an npm package name such as "papaparse" or "@scope/name", got `"./local.js"` (string)'));
  });
});
