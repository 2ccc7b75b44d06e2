// Every example is code that runs: each file in examples/ is executed as a user would run it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

/** What each example must print; an example without an entry here fails the suite. */
const expected: Record<string, RegExp> = {
  'quickstart.js': /^\[log\] fetched 3 readings\nwarmest: \{ city: 'Lima', celsius: 22 \}\n$/,
  'artifacts.js': /^difference: 14\nreport\.csv text text\/csv 22\ntotals\.json json application\/json 21\n$/,
  'upstream.js': /^\[ 'Ada', 'Grace' \]\n$/,
  'agent-loop.js':
    /^turn 1: 2\nturn 2: \{"oslo\.csv":4,"paris\.csv":20\}\nturn 3: TypeError at line 1: values\.max is not a function\nturn 4: \{"means":\{"oslo\.csv":4,"paris\.csv":20\},"spread":\{"oslo\.csv":6,"paris\.csv":3\},"overall":12\}\n$/,
  'workflows.js': /^warmest\(input: \{ cities: string\[\] \}\): Promise<\{ city: string; celsius: number \}>;\n\{ city: 'Lima', celsius: 22 \}\n$/,
  'mcp-server.js': /^tools: execute\nResult: \{"city":"Lima","celsius":22\}\nConsole:\n\[log\] fetched 3 readings\n$/,
  'modules.js': /^\[ 'Ada: 2 Jan 2026', 'Grace: 15 Mar 2026' \]\n$/,
  'mounts.js': /^Result: "127\.0\.0\.1"\nFiles: "\/output\/ip\.svg" \(image\/svg\+xml, \d+ bytes\)\nimage image\/svg\+xml: <svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="220" height="…\n$/,
};

describe('examples', () => {
  for (const file of readdirSync(examples).filter((name) => name.endsWith('.js'))) {
    test(`${file} runs and prints what it promises`, async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [join(examples, file)], { timeout: 60_000 });
      assert.ok(expected[file], `add the expected output of ${file} to test/examples.test.ts`);
      assert.match(stdout, expected[file]);
    });
  }
});
