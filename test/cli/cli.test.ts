// The built `codemode` command, spawned as a user runs it: `run` with a file and with stdin, exit codes,
// `types`, `--help`, one-line usage errors, config files, and `mcp` starting and stopping cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { flagNames, type Command } from '../../src/cli/args.js';
import { CLI, launch, tempDir, type Outcome } from '../mcp/helpers.js';

/** The built CLI with stdin closed after `input` (empty by default). */
function cli(args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  return launch(CLI, args, { ...options, input: options.input ?? '' });
}

const dir = tempDir({ 'a.txt': 'alpha', 'b.txt': 'beta' });
mkdirSync(join(dir.path, 'conf'));
writeFileSync(join(dir.path, 'script.js'), 'console.log("reading");\nconst text = await codemode.fs.readFile({ path: "a.txt" });\nreturn { text, n: 1n };\n');
writeFileSync(join(dir.path, 'broken.js'), 'const files = await codemode.fs.readDir({ path: "." });\nreturn files.entries[99].name;\n');
after(() => dir.remove());

describe('codemode run', () => {
  test('runs a file: console to stderr, the value to stdout as JSON, exit 0', async () => {
    const outcome = await cli(['run', 'script.js', '--allow-read', '.'], { cwd: dir.path });
    assert.deepEqual(outcome, { code: 0, stdout: '{\n  "text": "alpha",\n  "n": "1"\n}\n', stderr: 'reading\n' });
  });

  test('runs stdin with -', async () => {
    const outcome = await cli(['run', '-', `--allow-read=${dir.path}`], { input: 'const { entries } = await codemode.fs.readDir({ path: "." }); return entries.length' });
    assert.deepEqual(outcome, { code: 0, stdout: '5\n', stderr: '' });
  });

  test('prints nothing on stdout when the code returns nothing', async () => {
    assert.deepEqual(await cli(['run', '-'], { input: 'console.log(1)' }), { code: 0, stdout: '', stderr: '1\n' });
  });

  test('a failing run exits 1 with kind, line, frame and hint on stderr', async () => {
    const outcome = await cli(['run', 'broken.js', '--allow-read', '.'], { cwd: dir.path });
    assert.equal(outcome.code, 1);
    assert.equal(outcome.stdout, '');
    assert.equal(
      outcome.stderr,
      [
        "Error (runtime) at line 2: TypeError: Cannot read properties of undefined (reading 'name')",
        '  1 | const files = await codemode.fs.readDir({ path: "." });',
        '> 2 | return files.entries[99].name;',
        '    |                          ^',
        'Hint: Fix the error at the line shown (lines refer to your code) and run again.',
        '',
      ].join('\n'),
    );
  });

  test('no flag grants nothing: codemode.fs does not exist', async () => {
    const outcome = await cli(['run', '-'], { input: 'return await codemode.fs.readFile({ path: "a.txt" })', cwd: dir.path });
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /^Error \(runtime\) at line 1: /);
  });

  test('a path outside --allow-read is denied', async () => {
    const outcome = await cli(['run', '-', '--allow-read', '.'], { input: 'return await codemode.fs.readFile({ path: "/etc/hostname" })', cwd: dir.path });
    assert.equal(outcome.code, 1);
    assert.match(outcome.stderr, /^Error \(denied\) at line 1: /);
  });

  test('--timeout ends a runaway script as a timeout', async () => {
    const outcome = await cli(['run', '-', '--timeout', '200'], { input: 'while (true) {}' });
    assert.equal(outcome.code, 1);
    // Which of the two stops (the isolate's own timeout or the host's deadline) wins decides the message.
    assert.match(outcome.stderr, /^Error \(timeout\): Error: .*\nHint: The run took longer than 200 ms\./);
  });

  test('a missing file is one line and exit 2', async () => {
    assert.deepEqual(await cli(['run', 'nope.js'], { cwd: dir.path }), { code: 2, stdout: '', stderr: 'codemode: cannot read nope.js: ENOENT\n' });
  });
});

describe('codemode types', () => {
  test('prints the declarations the model sees for the flags', async () => {
    const outcome = await cli(['types', '--allow-read', dir.path, '--allow-env', 'HOME,APP_*']);
    assert.equal(outcome.code, 0);
    assert.match(outcome.stdout, /readFile\(input: FsReadFileInput\): Promise<FsReadFileOutput>;/);
    assert.match(outcome.stdout, /\/\*\* Environment variables: HOME, APP_\*\. \*\//);
  });

  test('without flags there is nothing to call', async () => {
    assert.deepEqual(await cli(['types']), { code: 0, stdout: 'declare const codemode: {};\n', stderr: '' });
  });
});

describe('help and usage errors', () => {
  for (const command of ['mcp', 'run', 'types'] as Command[]) {
    test(`${command} --help names every flag and exits 0`, async () => {
      const outcome = await cli([command, '--help']);
      assert.equal(outcome.code, 0);
      for (const flag of flagNames(command)) assert.ok(outcome.stdout.includes(flag), `${flag} is in the help of ${command}`);
    });
  }

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual(await cli(['--version']), { code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('no command prints the overview on stderr and exits 2', async () => {
    const outcome = await cli([]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /codemode mcp \[flags\]/);
  });

  const mistakes: Array<[string[], string]> = [
    [['run', '--alow-read', '.', 'x.js'], 'unknown flag --alow-read (did you mean --allow-read?)'],
    [['rnu', 'x.js'], 'unknown command "rnu" (did you mean run?); expected mcp, run, types, artifacts or workflows'],
    [['types', '--http', '80'], '--http is a flag of codemode mcp, not of types'],
    [['run', '-', '--tiemout', '5'], 'unknown flag --tiemout (did you mean --timeout?)'],
    [['types', '--timeout'], '--timeout needs a value (milliseconds)'],
    [['types', '--allow-read', '--timeout', '5'], '--allow-read needs a value (a path)'],
    [['types', '--timeout', '5s'], 'expected `--timeout` to be an integer from 1 to 2147483647 (milliseconds), got `"5s"` (string)'],
    [['types', '--help=yes'], '--help takes no value, got "yes"'],
    [['run'], 'run needs a file to run, or - for stdin'],
    [['mcp', '--token', 'abc'], '--token needs --http PORT (stdio has no authentication)'],
    [['--allow-read', '.', 'mcp'], 'expected a command (mcp, run, types, artifacts or workflows) before --allow-read'],
  ];
  for (const [args, message] of mistakes) {
    test(`\`codemode ${args.join(' ')}\` says: ${message}`, async () => {
      assert.deepEqual(await cli(args), { code: 2, stdout: '', stderr: `codemode: ${message}\n` });
    });
  }

  test('a path that does not exist is one line naming the flag', async () => {
    const outcome = await cli(['types', '--allow-read', join(dir.path, 'missing')]);
    assert.equal(outcome.code, 2);
    assert.match(outcome.stderr, /^codemode: --allow-read\/--allow-write: expected a path to be an existing directory or file, got .*missing.* \(ENOENT\)\n$/);
  });

  test('an empty CODEMODE_TOKEN fails closed', async () => {
    const outcome = await cli(['mcp', '--http', '0'], { env: { ...process.env, CODEMODE_TOKEN: '' } });
    assert.deepEqual(outcome, { code: 2, stdout: '', stderr: 'codemode: CODEMODE_TOKEN is set but empty; set a token or unset it\n' });
  });
});

describe('--config', () => {
  test('grants what the file says, with paths relative to the file', async () => {
    writeFileSync(join(dir.path, 'conf', 'codemode.json'), JSON.stringify({ allowRead: ['..'], timeout: 5000 }));
    const outcome = await cli(['run', '-', '--config', join(dir.path, 'conf', 'codemode.json')], { input: 'return await codemode.fs.readFile({ path: "b.txt" })' });
    assert.deepEqual(outcome, { code: 0, stdout: '"beta"\n', stderr: '' });
  });

  test('an unknown key is refused with a suggestion, and a token is never read from a file', async () => {
    const file = join(dir.path, 'conf', 'bad.json');
    writeFileSync(file, JSON.stringify({ alowRead: ['.'] }));
    assert.equal((await cli(['types', '--config', file])).stderr, `codemode: config ${file}: unknown key "alowRead" (did you mean allowRead?)\n`);
    writeFileSync(file, JSON.stringify({ token: 'abc' }));
    assert.equal((await cli(['types', '--config', file])).stderr, `codemode: config ${file}: "token" is not read from files; use CODEMODE_TOKEN or --token\n`);
  });
});

describe('codemode mcp', () => {
  test('over stdio, says it is ready once a sandbox process is, and exits 0 when the client closes stdin', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--allow-read', dir.path]);
    let stderr = '';
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.endsWith('\n')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    child.stdin.end();
    assert.equal(await exited, 0);
    assert.equal(stdout, '');
    assert.equal(stderr, `codemode: MCP server on stdio; granted: read ${dir.path}\n`);
  });

  test('over stdio, exits 0 when the client closes stdin before the server is ready', async () => {
    const outcome = await cli(['mcp']);
    assert.equal(outcome.code, 0);
    assert.equal(outcome.stdout, '');
  });

  test('with --http, prints the url, serves /health, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--http', '0'], { env: { ...process.env, CODEMODE_TOKEN: 'tok' } });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        const match = /MCP server at (http:\/\/127\.0\.0\.1:\d+\/mcp) \(bearer token required\)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    assert.equal(await (await fetch(new URL('/health', url))).text(), '{"status":"ok"}');
    assert.equal((await fetch(url, { method: 'POST' })).status, 401);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
