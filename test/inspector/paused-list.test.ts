// The inspector's listing of paused runs is bounded (journals and bytes read per listing) without hiding
// runs: a journal too large for one listing waits, and the others still show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pausedRuns, type DurableRuns } from '../../src/inspector/paused.js';
import type { JournalInfo } from '../../src/storage/storage.js';

function info(runId: string, updatedAt: string, bytes: number): JournalInfo {
  return { runId, records: 3, bytes, createdAt: updatedAt, updatedAt, expiresAt: '2099-01-01T00:00:00.000Z', status: 'paused' };
}

test('a paused run whose journal is past the listing budget does not hide older paused runs', async () => {
  const reads: string[] = [];
  const durable: DurableRuns = {
    journals: {
      list: async () => [info('big', '2026-12-02T10:00:02.000Z', 40 * 2 ** 20), info('small', '2026-12-02T10:00:01.000Z', 100)],
      get: async (runId) => {
        reads.push(runId);
        return { runId, state: 'paused', pending: [{ callId: 1, name: 'deploy', input: { to: 'prod' } }] } as unknown as Awaited<ReturnType<DurableRuns['journals']['get']>>;
      },
    },
    resume: async () => {
      throw new Error('not resumed here');
    },
  };
  const listed = await pausedRuns(durable);
  assert.deepEqual(listed.map((run) => run.runId), ['small']);
  assert.deepEqual(reads, ['small'], 'the oversized journal is not read');
  assert.deepEqual((await pausedRuns(durable)).map((run) => run.runId), ['small']);
  assert.deepEqual(reads, ['small'], 'an unchanged journal is not read again');
});
