// The workflow lines of the execute description (catalog form): one line each, within a character budget.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_WORKFLOW_LIST_CHARS, executeDescription } from '../../src/mcp/describe.js';

const base = { declarations: 'x'.repeat(100), names: ['getWeather', 'workflows.save'], timeoutMs: 30_000, search: true, inlineDeclarationChars: 0 };

describe('workflows in the execute description', () => {
  test('each workflow is one line: its name, (stale) when it is, and its description on one line, cut at 120 characters', () => {
    const text = executeDescription({
      ...base,
      workflows: [
        { name: 'sum', description: 'Adds up\n  numbers.', stale: false },
        { name: 'old', description: 'Calls a removed tool.', stale: true },
        { name: 'long', description: 'word '.repeat(40), stale: false },
      ],
    });
    const lines = text.split('\n');
    const start = lines.indexOf('- codemode.workflows: saved code, called as `await codemode.workflows.<name>(input)`; save, list, get and delete manage it');
    assert.notEqual(start, -1, text);
    assert.deepEqual(lines.slice(start + 1, start + 3), ['  - sum: Adds up numbers.', '  - old (stale): Calls a removed tool.']);
    assert.equal(lines[start + 3]!.length, 120);
    assert.match(lines[start + 3]!, /^ {2}- long: word word .*…$/);
    // Tool names stay on their own line; workflows.* names are not repeated there.
    assert.match(text, /\ngetWeather\n/);
  });

  test('past the budget the rest are counted, not listed', () => {
    const workflows = Array.from({ length: 100 }, (_, i) => ({ name: `workflow${i}`, description: `Does thing number ${i} with some care.`, stale: false }));
    const text = executeDescription({ ...base, workflows });
    const listed = text.split('\n').filter((line) => line.startsWith('  - workflow'));
    assert.ok(listed.join('\n').length <= MAX_WORKFLOW_LIST_CHARS);
    assert.match(text, new RegExp(`\\n {2}- and ${100 - listed.length} more \\(search or codemode\\.workflows\\.list\\(\\)\\)$`));
  });
});
