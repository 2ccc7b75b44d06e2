// EnvCapability: exact names and PREFIX_* wildcards, null for unset, and refusals that reveal nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodemodeError } from '../../capabilities/shared/public-api.js';
import { EnvCapability } from '../../capabilities/index.js';
import { call, refused } from './helpers.js';

const env = { HOME: '/home/me', APP_MODE: 'dev', APP_TOKEN: 't0k', APPLE: 'no', SECRET_KEY: 'hunter2', app_mode: 'lower' };
const cap = new EnvCapability({ allowedKeys: ['HOME', 'APP_*', 'UNSET_VAR'], env });

describe('env.get', () => {
  const cases: [key: string, expected: string | null | 'denied' | 'invalid_input', why: string][] = [
    ['HOME', '/home/me', 'an exact name'],
    ['APP_MODE', 'dev', 'a name under a PREFIX_* wildcard'],
    ['UNSET_VAR', null, 'an allowed name that is not set'],
    ['APP_MISSING', null, 'an unset name under a wildcard'],
    ['APPLE', 'denied', 'a name that shares the prefix letters but not "APP_"'],
    ['app_mode', 'denied', 'a name differing only in case'],
    ['SECRET_KEY', 'denied', 'a set name outside the list'],
    ['NOT_SET_ANYWHERE', 'denied', 'an unset name outside the list'],
    ['HOME ', 'denied', 'a name with trailing space'],
    ['__proto__', 'denied', 'an Object.prototype name'],
    ['', 'invalid_input', 'an empty name'],
    ['A=B', 'invalid_input', 'a name with "="'],
    ['A\0B', 'invalid_input', 'a name with NUL'],
  ];
  for (const [key, expected, why] of cases) {
    it(`${typeof expected === 'string' && ['denied', 'invalid_input'].includes(expected) ? `refuses (${expected})` : 'returns'} ${why}: ${JSON.stringify(key)}`, async () => {
      if (expected === 'denied' || expected === 'invalid_input') await refused(call(cap, 'get', { key }), expected);
      else assert.equal(await call(cap, 'get', { key }), expected);
    });
  }

  it('refuses a set and an unset outside name with the same message shape', async () => {
    const set = await refused(call(cap, 'get', { key: 'SECRET_KEY' }), 'denied');
    const unset = await refused(call(cap, 'get', { key: 'NOT_SET_ANYW' }), 'denied');
    assert.equal(set.message.replace('SECRET_KEY', 'X'), unset.message.replace('NOT_SET_ANYW', 'X'));
    assert.equal(set.hint, 'Allowed: HOME, APP_*, UNSET_VAR.');
    assert.ok(!set.message.includes('hunter2'));
  });

  it('reads process.env at call time when no env object is given', async () => {
    const live = new EnvCapability({ allowedKeys: ['CODEMODE_TEST_LIVE'] });
    delete process.env.CODEMODE_TEST_LIVE;
    assert.equal(await call(live, 'get', { key: 'CODEMODE_TEST_LIVE' }), null);
    process.env.CODEMODE_TEST_LIVE = 'now';
    assert.equal(await call(live, 'get', { key: 'CODEMODE_TEST_LIVE' }), 'now');
    delete process.env.CODEMODE_TEST_LIVE;
  });
});

describe('env.list', () => {
  it('shows only allowed names that are set', async () => {
    assert.deepEqual(await call(cap, 'list', {}), { APP_MODE: 'dev', APP_TOKEN: 't0k', HOME: '/home/me' });
    assert.deepEqual(await call(cap, 'list', undefined), { APP_MODE: 'dev', APP_TOKEN: 't0k', HOME: '/home/me' });
  });

  it('keeps a variable named __proto__ as plain data', async () => {
    const odd = new EnvCapability({ allowedKeys: ['__proto__'], env: JSON.parse('{"__proto__":"x"}') as Record<string, string> });
    const listed = (await call(odd, 'list', {})) as Record<string, string>;
    assert.equal(Object.getOwnPropertyDescriptor(listed, '__proto__')?.value, 'x');
    assert.equal(await call(odd, 'get', { key: '__proto__' }), 'x');
  });
});

describe('EnvCapability options', () => {
  const bad = (options: unknown, pattern: RegExp) =>
    assert.throws(() => new EnvCapability(options as never), (e: unknown) => e instanceof CodemodeError && e.code === 'INVALID_OPTION' && pattern.test(e.message));

  it('refuses a bare "*" and wildcards anywhere but the end', () => {
    bad({ allowedKeys: ['*'] }, /PREFIX_\* pattern .* got `"\*"` \(string\)/);
    bad({ allowedKeys: ['A*B'] }, /got `"A\*B"`/);
    bad({ allowedKeys: ['*_TOKEN'] }, /got `"\*_TOKEN"`/);
  });

  it('refuses empty lists, non-strings and unknown options', () => {
    bad({ allowedKeys: [] }, /non-empty array/);
    bad({ allowedKeys: [42] }, /`allowedKeys\[0\]` to be a variable name .*got `42` \(number\)/);
    bad({ allowedKeys: ['A'], envs: {} }, /unknown option `envs`/);
  });
});
