// The installed `codemode` command: `run` with a file, a failing run, `types`, and `doctor` (whose report,
// every path a sandbox process may read on this Node, goes to the test output).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cli, tempDir } from './helpers.mjs';

const dir = tempDir({ 'data.txt': 'alpha', 'script.js': 'console.log("reading");\nreturn (await codemode.fs.readFile({ path: "data.txt" })).toUpperCase();\n' });
after(() => dir.remove());

describe(`the codemode command on Node ${process.version}`, () => {
  test('run: console output on stderr, the value on stdout as JSON, exit 0', async () => {
    assert.deepEqual(await cli(['run', 'script.js', '--allow-read', '.'], { cwd: dir.path }), { code: 0, stdout: '"ALPHA"\n', stderr: 'reading\n' });
  });

  test('run: a run that exceeds its time limit exits 1 and says so', async () => {
    const outcome = await cli(['run', '-', '--timeout', '300'], { input: 'while (true) {}' });
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /^Error \(timeout\): Error: the run exceeded its 300 ms time limit\n/);
  });

  test('doctor: the permission flag, the readable paths, and a trial run that works', async (t) => {
    const outcome = await cli(['doctor']);
    t.diagnostic(outcome.stdout.trimEnd());
    assert.equal(outcome.code, 0);
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    assert.match(outcome.stdout, new RegExp(`\\nsandbox processes: Node's permission model \\(${flag}\\); no writes, child processes or workers; may read:\\n`));
    assert.match(outcome.stdout, /\ntrial run: ok /);
  });

  test('types: prints the declarations of the granted capabilities', async () => {
    const outcome = await cli(['types', '--allow-read', '.'], { cwd: dir.path });
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /readFile\(input: FsReadFileInput\): Promise<FsReadFileOutput>;/);
  });
});
