// Durable runs on FileStorage (a real temp directory), and what needs no store at all: option errors.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { z } from 'zod';
import { CodemodeError, defineTool, Executor } from '../../src/index.js';
import { errorOf, valueOf } from '../run-result.js';
import { FileStorage } from '../../src/storage/index.js';
import { fixtureProject } from '../modules/helpers.js';
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

describe('durable run whose store fails', () => {
  test('a store failure while an approver decides fails the run as crashed, with no unhandled rejection in the host', async () => {
    const storage = new FileStorage({ dir: join(root, 'failing') });
    const append = storage.appendJournal.bind(storage);
    let appends = 0;
    let failed!: () => void;
    const failedOnce = new Promise<void>((resolve) => (failed = resolve));
    // The start record is stored; every later append fails (the call's record first).
    storage.appendJournal = async (...args) => {
      if (++appends === 1) return append(...args);
      failed();
      throw new Error('disk full');
    };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const ran: string[] = [];
    const executor = new Executor({
      storage,
      minProcesses: 0,
      tools: [defineTool({ name: 'remove', description: 'Needs approval.', input: z.object({ id: z.string() }), approval: 'ask', run: ({ id }) => (ran.push(id), id) })],
    });
    try {
      const result = await executor.run('return await codemode.remove({ id: "a" })', { runId: 'store-fails', durable: true, approve: () => failedOnce.then(() => true) });
      const error = errorOf(result);
      assert.equal(error.kind, 'crashed');
      assert.equal(error.message, 'the journal of this durable run could not be written, so it stopped: disk full');
      assert.deepEqual(ran, []);
      // A rejection nobody handled is reported after the microtasks of its turn: let a full turn pass.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await executor.close();
      await storage.close();
    }
  });
});

describe('durable run with modules', () => {
  test('a module that keeps Math.random and Date.now when it loads gets the seeded and journaled ones', async () => {
    const fixtures = fixtureProject({ dice: 'const random = Math.random; const now = Date.now; module.exports = { roll: () => random(), at: () => now() };' });
    const storage = new FileStorage({ dir: join(root, 'modules') });
    const executor = new Executor({ storage, modules: ['dice'], moduleRoot: fixtures.root, minProcesses: 0 });
    try {
      const code = "import dice from 'dice';\nreturn [dice.roll(), dice.roll(), dice.at()];";
      const first = valueOf(await executor.run(code, { runId: 'dice', durable: true }));
      assert.deepEqual(valueOf(await executor.run(code, { runId: 'dice', durable: true })), first);
    } finally {
      await executor.close();
      await storage.close();
      fixtures.cleanup();
    }
  });
});
