// Durable runs on RedisStorage, against a real redis-server started for this file.
import { after, before } from 'node:test';
import { RedisStorage } from '../../src/storage/index.js';
import { startRedis, type RedisServer } from '../storage/redis-server.js';
import { durableSuite } from './suite.js';

let server: RedisServer;
before(async () => {
  server = await startRedis();
});
after(() => server.stop());
let count = 0;

durableSuite('RedisStorage', {
  async create() {
    const prefix = `durable${++count}:`;
    return { storage: new RedisStorage({ url: server.url, prefix }), spec: { kind: 'redis', url: server.url, prefix } };
  },
});
