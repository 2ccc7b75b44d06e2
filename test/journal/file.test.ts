// Durable runs on FileStorage (a real temp directory), and what needs no store at all: option errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CodemodeError, Executor } from '../../src/index.js';
import { FileStorage } from '../../src/storage/index.js';
import { durableSuite } from './suite.js';

const root = mkdtempSync(join(tmpdir(), 'codemode-durable-'));
after(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

durableSuite('FileStorage', {
  async create() {
    const dir = join(root, `store-${++count}`);
    return { storage: new FileStorage({ dir }), spec: { kind: 'file', dir } };
  },
});

describe('durable run options', () => {
  const refused = (code: string, message: RegExp) => (error: unknown) => error instanceof CodemodeError && error.code === code && message.test(error.message);

  test('a durable run needs a runId and a storage; a runId is a short name', async () => {
    const bare = new Executor({ minProcesses: 0 });
    const stored = new Executor({ minProcesses: 0, storage: new FileStorage({ dir: join(root, 'options') }) });
    try {
      await assert.rejects(stored.run('return 1', { durable: true }), refused('INVALID_OPTION', /a durable run needs a `runId`/));
      await assert.rejects(bare.run('return 1', { runId: 'x', durable: true }), refused('NO_STORAGE', /durable runs keep their journals in a storage/));
      await assert.rejects(bare.journals.list(), refused('NO_STORAGE', /create the Executor with `storage`/));
      await assert.rejects(stored.run('return 1', { runId: '../x', durable: true }), refused('INVALID_OPTION', /expected `runId` to be 1 to 64 characters.*got `"\.\.\/x"`/));
      await assert.rejects(stored.run('return 1', { runId: 'x', durable: 'yes' as never }), refused('INVALID_OPTION', /expected `durable` to be a boolean, got `"yes"`/));
      await assert.rejects(stored.resume('never-ran'), refused('NOT_FOUND', /no journal of run "never-ran" in file:/));
      const workspace = await stored.workspace();
      await assert.rejects(workspace.run('return 1', { runId: 'w', durable: true } as never), refused('INVALID_OPTION', /not available in workspaces/));
      await workspace.close();
      // A runId alone names a run that keeps no journal.
      assert.equal((await bare.run('return 1', { runId: 'plain' })).ok, true);
    } finally {
      await Promise.all([bare.close(), stored.close()]);
    }
  });
});
