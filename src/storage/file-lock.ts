// A lock on one FileStorage namespace directory, shared by every process on the machine: the file `.lock`
// created with O_EXCL holds the owner's pid, host and a nonce. Writers hold it for one save or delete.
//
// A holder that crashed leaves its `.lock` behind. It is stale when its pid is gone on this host (or, for
// a lock written on another host or left empty, when it is older than STALE_MS). Breaking a stale lock is
// itself serialized by a second O_EXCL file, `.lock.break`, so two waiters can never both decide the same
// lock is stale and one delete the fresh lock the other just took. Before the stale lock goes, the temp
// files its holder may have left (`.tmp-*`) are removed: only a lock holder writes them, so while the
// stale lock stands nobody else is writing one.
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { CodemodeError } from '../errors.js';

/** A lock (or break lock) older than this whose owner cannot be checked is taken as abandoned. */
const STALE_MS = 60_000;
/** A break takes microseconds; a `.lock.break` older than this belongs to a breaker that crashed. */
const BREAK_STALE_MS = 10_000;
export const TEMP_PREFIX = '.tmp-';

const HOST = hostname();
/** In-process queue per lock path, so writers of one process take turns without polling the file. */
const queues = new Map<string, Promise<unknown>>();

/** Runs `work` holding the namespace lock of `dir`; gives up after `timeoutMs` with `STORAGE_BUSY`. */
export async function withLock<T>(dir: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const path = join(dir, '.lock');
  const previous = queues.get(path) ?? Promise.resolve();
  const turn = previous.then(async () => {
    const nonce = await acquire(dir, path, timeoutMs);
    try {
      return await work();
    } finally {
      await release(path, nonce);
    }
  });
  const settled = turn.then(
    () => undefined,
    () => undefined,
  );
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return turn;
}

async function acquire(dir: string, path: string, timeoutMs: number): Promise<string> {
  const nonce = randomBytes(8).toString('hex');
  const content = `${process.pid}\n${HOST}\n${nonce}\n`;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await create(path, content)) return nonce;
    const holder = await readLock(path);
    if (holder !== undefined && (await isStale(path, holder))) {
      await breakLock(dir, path, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new CodemodeError(
        'STORAGE_BUSY',
        `could not lock ${path} within ${timeoutMs} ms: held by ${holder?.trim().split('\n').slice(0, 2).join(' on ') || 'a process still writing it'}`,
      );
    }
    // Another process holds the lock for one write: wait a little, growing to 50 ms.
    await new Promise((resolve) => setTimeout(resolve, Math.min(2 ** attempt, 50)));
  }
}

/** Creates `path` exclusively with `content`, durably. False when it exists. */
async function create(path: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

async function readLock(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function isStale(path: string, content: string): Promise<boolean> {
  const [pidText, host] = content.split('\n');
  const pid = Number(pidText);
  if (host === HOST && Number.isSafeInteger(pid) && pid > 0) return !alive(pid);
  return (await age(path)) > STALE_MS;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else, so it is alive.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function age(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function breakLock(dir: string, path: string, staleContent: string): Promise<void> {
  const breakPath = `${path}.break`;
  if (!(await create(breakPath, `${process.pid}\n${HOST}\n`))) {
    if ((await age(breakPath)) > BREAK_STALE_MS) await unlink(breakPath).catch(() => undefined);
    return;
  }
  try {
    // Under the break lock the stale `.lock` cannot change: its owner is gone, other breakers wait, and
    // O_EXCL keeps new owners out until it is unlinked.
    if ((await readLock(path)) !== staleContent) return;
    for (const name of await readdir(dir)) {
      if (name.startsWith(TEMP_PREFIX)) await unlink(join(dir, name)).catch(() => undefined);
    }
    await unlink(path);
  } finally {
    await unlink(breakPath).catch(() => undefined);
  }
}

async function release(path: string, nonce: string): Promise<void> {
  // Only our own lock: if ours was judged stale and broken (we were paused past STALE_MS on another host),
  // the file now belongs to someone else.
  const content = await readLock(path);
  if (content !== undefined && content.split('\n')[2] === nonce) await unlink(path);
}
