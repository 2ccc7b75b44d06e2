// The search result text the model reads: declarations best first within a budget, and what exists when
// nothing matches.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatSearch } from '../../src/mcp/search-text.js';

describe('search result text', () => {
  const hit = (name: string, size: number) => ({ name, description: `${name} tool`, score: 400, declaration: `declare const codemode: { ${name}(): Promise<void> }; // ${'.'.repeat(size)}\n` });

  test('hits are declarations, best first, under a header', () => {
    const { text, structured } = formatSearch('read', [hit('readFile', 1), hit('readDir', 1)], [], 10_000);
    assert.match(text, /^2 tools for "read", best first:\n\ndeclare const codemode: \{ readFile/);
    assert.deepEqual(structured.tools.map((tool) => tool.name), ['readFile', 'readDir']);
  });

  test('hits beyond the budget are left out and counted; the best one always stays', () => {
    const { text, structured } = formatSearch('x', [hit('a', 500), hit('b', 500), hit('c', 500)], [], 100);
    assert.deepEqual(structured, { tools: [{ name: 'a', description: 'a tool', declaration: hit('a', 500).declaration }], omitted: 2 });
    assert.match(text, /\n\n2 more left out to keep this short; search with more precise words\.$/);
  });

  test('no hit names what exists', () => {
    assert.equal(formatSearch('zz', [], ['a', 'b'], 100).text, 'No tool matches "zz". Tools: a, b');
    assert.equal(formatSearch('zz', [], [], 100).text, 'No tool matches "zz". Tools: none');
  });
});
