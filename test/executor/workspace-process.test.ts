// The pinned process of a workspace, driven directly: a run whose respawn failed must not hold the
// workspace's line for good.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodemodeError } from '../../src/index.js';
import { PinnedProcess } from '../../src/executor/workspace-process.js';

describe('PinnedProcess', () => {
  test('a run that ends without giving the process back (its respawn failed) frees the line and says the context is lost', async () => {
    let closed = false;
    let idle = 0;
    const lost: (string | undefined)[] = [];
    const lease = new PinnedProcess({ memoryLimitMb: 64, runtimeClosed: () => closed, onLost: (during) => lost.push(during), onIdle: () => idle++ });
    try {
      lease.enqueue('a');
      const process = await lease.acquire('a');
      closed = true;
      await assert.rejects(lease.replace(process, 'a'), { code: 'RUNTIME_CLOSED' });
      lease.done('a');
      assert.equal(lease.busy, false, 'nobody holds the process or waits for it');
      assert.ok(idle > 0, 'the workspace hears it is idle, so its idle timer runs');
      assert.deepEqual(lost, ['a', 'a']);
    } finally {
      await lease.close(new CodemodeError('WORKSPACE_CLOSED', 'test over'));
    }
  });
});
