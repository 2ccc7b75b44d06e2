// The README's table of limits says what the code does: each row's default and range are the table's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { JOURNAL_LIMITS, POOL_LIMITS, RUN_LIMITS, WORKSPACE_LIMITS } from '../../src/limits/table.js';

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md'), 'utf8');

/** The rows `| \`name\` | default | range | what |` of the "Limits and defaults" section. */
function readmeRows(): Map<string, { fallback: string; range: string }> {
  const section = readme.split('## Limits and defaults')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, { fallback: string; range: string }>();
  for (const match of section.matchAll(/^\| `(\w+)` \| ([^|]+) \| ([^|]+) \|/gm)) rows.set(match[1]!, { fallback: match[2]!.trim(), range: match[3]!.trim() });
  return rows;
}

describe('README limits', () => {
  test('every run, pool, workspace and journal limit is in the README with the default and range the code uses', () => {
    const rows = readmeRows();
    const limits = { ...RUN_LIMITS, ...POOL_LIMITS, ...WORKSPACE_LIMITS, ...JOURNAL_LIMITS };
    assert.deepEqual([...rows.keys()].sort(), Object.keys(limits).sort());
    for (const [name, rule] of Object.entries(limits)) {
      const row = rows.get(name)!;
      if (name === 'maxProcesses') assert.equal(row.fallback, 'max(4, 2 × cores)');
      else assert.equal(Number(row.fallback.replace(/\s/g, '')), rule.default, `${name} default`);
      const max = name === 'minProcesses' ? '`maxProcesses`' : String(rule.max);
      assert.equal(row.range, `${rule.min} – ${max}`, `${name} range`);
    }
  });
});
