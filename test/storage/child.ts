// A second (or third) process on the same store, for the storage suites: `node child.js '<json task>'`.
// Prints one JSON line per result on stdout; `start` before a save that the parent may kill.
// Only the error class and the stores: a child should start fast, without the executor.
import { CodemodeError } from '../../src/errors.js';
import { FileStorage, RedisStorage, type Storage } from '../../src/storage/index.js';

export type StoreSpec = { kind: 'file'; dir: string } | { kind: 'redis'; url: string; prefix: string };
export type Task =
  | { op: 'increment'; store: StoreSpec; name: string; times: number }
  | { op: 'put'; store: StoreSpec; name: string; text: string; ifVersion?: number | null }
  | { op: 'big-put'; store: StoreSpec; name: string; bytes: number; fill: number }
  | { op: 'get'; store: StoreSpec; name: string };

export function openStore(spec: StoreSpec): Storage {
  return spec.kind === 'file' ? new FileStorage({ dir: spec.dir, maxEntryBytes: 64 << 20 }) : new RedisStorage({ url: spec.url, prefix: spec.prefix, maxEntryBytes: 64 << 20 });
}

const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main(task: Task): Promise<void> {
  const store = openStore(task.store);
  try {
    switch (task.op) {
      case 'increment': {
        // Read, add one, save with the version read; on a conflict read again. Nothing may be lost.
        let conflicts = 0;
        for (let i = 0; i < task.times; ) {
          const entry = await store.get('artifacts', task.name);
          const next = Number(entry === undefined ? 0 : new TextDecoder().decode(entry.data)) + 1;
          try {
            await store.put('artifacts', task.name, new TextEncoder().encode(String(next)), { ifVersion: entry?.version ?? null });
            i++;
          } catch (error) {
            if (!(error instanceof CodemodeError && error.code === 'VERSION_CONFLICT')) throw error;
            conflicts++;
          }
        }
        say({ done: true, conflicts });
        return;
      }
      case 'put':
        try {
          const info = await store.put('artifacts', task.name, new TextEncoder().encode(task.text), task.ifVersion === undefined ? {} : { ifVersion: task.ifVersion });
          say({ ok: true, version: info.version });
        } catch (error) {
          say({ ok: false, code: error instanceof CodemodeError ? error.code : String(error) });
        }
        return;
      case 'big-put':
        say({ start: true });
        await store.put('artifacts', task.name, new Uint8Array(task.bytes).fill(task.fill));
        say({ done: true });
        return;
      case 'get': {
        const entry = await store.get('artifacts', task.name);
        say(entry === undefined ? null : { version: entry.version, text: new TextDecoder().decode(entry.data) });
        return;
      }
    }
  } finally {
    await store.close();
  }
}

await main(JSON.parse(process.argv[2] ?? '{}') as Task);
