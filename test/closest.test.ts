import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest } from '../src/closest.js';

test('suggestions catch typos and transpositions, not unrelated words', () => {
  assert.equal(closest('--alow-read', ['--allow-read', '--allow-write']), '--allow-read');
  assert.equal(closest('rnu', ['mcp', 'run', 'types']), 'run');
  assert.equal(closest('fs.raedFile', ['fs.readFile', 'fs.writeFile']), 'fs.readFile');
  assert.equal(closest('--verbose', ['--allow-read', '--timeout']), undefined);
});

test('a word far longer than every candidate gets no suggestion, at once and without a matrix as long as the word', () => {
  // Before the bound this built a 5e7-row matrix and ran the process out of memory.
  assert.equal(closest('a'.repeat(5e7), ['add', 'fs.readFile']), undefined);
});

test('the suggestion is the same as the full distance would give, within the band', () => {
  const names = ['fs.readFile', 'fs.readFiles', 'fs.writeFile', 'http.fetch', 'env.get'];
  assert.equal(closest('fs.readfile', names), 'fs.readFile');
  assert.equal(closest('fs.wirteFile', names), 'fs.writeFile');
  assert.equal(closest('htp.fetch', names), 'http.fetch');
  assert.equal(closest('env.gte', names), 'env.get');
  assert.equal(closest('x', names), undefined);
});

test('many long near-miss candidates are compared within a fixed budget of work', () => {
  const candidates = Array.from({ length: 5000 }, (_, i) => `tool${i}.${'n'.repeat(250)}`);
  // Bounded: the answer comes back (a close candidate or none), however many candidates there are.
  const found = closest(`tool4999.${'n'.repeat(249)}m`, candidates);
  assert.ok(found === undefined || candidates.includes(found));
});
