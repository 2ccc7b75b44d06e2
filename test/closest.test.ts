import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest } from '../src/closest.js';

test('suggestions catch typos and transpositions, not unrelated words', () => {
  assert.equal(closest('--alow-read', ['--allow-read', '--allow-write']), '--allow-read');
  assert.equal(closest('rnu', ['mcp', 'run', 'types']), 'run');
  assert.equal(closest('fs.raedFile', ['fs.readFile', 'fs.writeFile']), 'fs.readFile');
  assert.equal(closest('--verbose', ['--allow-read', '--timeout']), undefined);
});
