// RedisStorage: the shared storage suite against a real redis-server started for this file, then what
// only Redis has: prefixes that keep stores apart, keys in one hash slot, and an unreachable server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RedisStorage } from '../../src/storage/index.js';
import { startRedis, type RedisServer } from './redis-server.js';
import { refusedWith, storageSuite } from './suite.js';

let server: RedisServer;
before(async () => {
  server = await startRedis();
});
after(() => server.stop());
let count = 0;

storageSuite('RedisStorage', {
  async create(limits = {}) {
    const prefix = `test${++count}:`;
    return {
      storage: new RedisStorage({ url: server.url, prefix, ...limits }),
      spec: { kind: 'redis', url: server.url, prefix },
      second: () => new RedisStorage({ url: server.url, prefix, ...limits }),
    };
  },
});

describe('RedisStorage on a server', () => {
  test('stores with different prefixes on one server do not see each other', async () => {
    const one = new RedisStorage({ url: server.url, prefix: 'one:' });
    const two = new RedisStorage({ url: server.url, prefix: 'two:' });
    await one.put('artifacts', 'a', new TextEncoder().encode('1'));
    assert.deepEqual(await two.list('artifacts'), []);
    assert.equal(await two.get('artifacts', 'a'), undefined);
    await Promise.all([one.close(), two.close()]);
  });

  test('a server that does not answer fails calls with STORAGE_UNAVAILABLE, without the password', async () => {
    const stopped = await (await import('./redis-server.js')).startRedis();
    const url = stopped.url.replace('redis://', 'redis://user:hunter2@');
    await stopped.stop();
    const storage = new RedisStorage({ url, timeoutMs: 1000 });
    assert.equal(storage.location, url.replace('user:hunter2@', ''));
    await assert.rejects(storage.get('artifacts', 'a'), (error: unknown) => refusedWith('STORAGE_UNAVAILABLE', /cannot connect to redis at redis:\/\/127\.0\.0\.1:\d+: /)(error) && !String(error).includes('hunter2'));
    await storage.close();
  });

  test('a journal index line that is not one codemode wrote is STORAGE_CORRUPT on read and left out of the listing', async () => {
    const storage = new RedisStorage({ url: server.url, prefix: 'damaged:' });
    await storage.appendJournal('r', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    await storage.appendJournal('s', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    const { createClient } = await import('@redis/client');
    const client = createClient({ url: server.url });
    await client.connect();
    await client.hSet('damaged:{journals}:journal-index', 'r', JSON.stringify({ runId: 'r', records: 'many', expiresMs: Date.now() + 60_000 }));
    await client.close();
    await assert.rejects(storage.readJournal('r'), refusedWith('STORAGE_CORRUPT', /"r".*written by hand or by something else/));
    assert.deepEqual((await storage.listJournals()).map((info) => info.runId), ['s']);
    await storage.close();
  });

  test('a journal list grown past the cap behind a small info line never reaches the host whole: STORAGE_CORRUPT', async () => {
    const storage = new RedisStorage({ url: server.url, prefix: 'swollen:', maxEntryBytes: 1024 * 1024 });
    await storage.appendJournal('r', ['one'], { at: 0, ttlMs: 60_000, maxBytes: 1000 });
    const { createClient } = await import('@redis/client');
    const client = createClient({ url: server.url });
    await client.connect();
    // Another writer of the store pushes 4 MB past what the info line (1 record, 4 bytes) says.
    for (let i = 0; i < 4; i++) await client.rPush('swollen:{journals}:journal:r', 'x'.repeat(1024 * 1024));
    await client.close();
    await assert.rejects(storage.readJournal('r'), refusedWith('STORAGE_CORRUPT', /"r" is \d+\+ bytes, over the store's maxEntryBytes \(1048576\)/));
    await storage.close();
  });

  test('bad options throw INVALID_OPTION; a URL is never echoed', () => {
    assert.throws(() => new RedisStorage({ url: 'http://user:pw@host' }), refusedWith('INVALID_OPTION', /redis:\/\/ or rediss:\/\/ URL, got a string that is not one$/));
    assert.throws(() => new RedisStorage({ url: 'redis://h', prefix: 'a{b}' }), refusedWith('INVALID_OPTION', /braces, got `"a\{b\}"`/));
  });
});
