// The journals of FileStorage: one directory per run under `journals/runs/`, named by the SHA-256 of the run
// id, holding `log` (the records, one line each, only ever appended to) and `info` (the JournalInfo as JSON,
// replaced whole by a rename). The log is the truth: its complete lines are the records, and an append is
// durable once the log is fsynced (one fsync per append; the info is made durable only when the journal is
// created). A crash can leave a torn last line, which no reader sees and the next append cuts off, or lines
// the info does not count yet, which are counted again from the log. Appends of one run hold its lock.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rm, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CodemodeError } from '../errors.js';
import { checkAppend, checkName, full, journalConflict, journalTooLarge, parseJournalInfo, type ResolvedLimits } from './checks.js';
import { syncDirectory, writeDurably } from './file-entry.js';
import { withLock } from './file-lock.js';
import type { AppendOptions, JournalData, JournalInfo } from './storage.js';

const LOG = 'log';
const INFO = 'info';
/** An info file holds a run id (≤ 200 characters), counts and times: far below this. */
const MAX_INFO_BYTES = 4096;

export class FileJournals {
  constructor(
    /** `<root>/journals/runs`. */
    private readonly root: string,
    private readonly limits: ResolvedLimits,
    private readonly lockTimeoutMs: number,
  ) {}

  async append(runId: string, records: readonly string[], options: AppendOptions): Promise<JournalInfo> {
    const checked = checkAppend(runId, records, options, this.limits);
    const dir = this.dirOf(runId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      return await this.appendLocked(dir, runId, records, checked);
    } catch (error) {
      // A refused first append (full, too large, a conflict) leaves no directory to count against maxEntries.
      const empty = checked.at === 0 && (await withLock(dir, this.lockTimeoutMs, async () => (await readInfo(dir, runId)) === undefined).catch(() => false));
      if (empty) await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  private appendLocked(dir: string, runId: string, records: readonly string[], checked: ReturnType<typeof checkAppend>): Promise<JournalInfo> {
    return withLock(dir, this.lockTimeoutMs, async () => {
      let info = await readInfo(dir, runId);
      if (info && expired(info)) info = undefined;
      const log = join(dir, LOG);
      // What the log holds, if the info (not fsynced) is behind it or a line was torn by a crash.
      if (info) info = await this.reconcile(log, info);
      const count = info?.records ?? 0;
      if (checked.at !== count) throw journalConflict(runId, checked.at, count);
      if (!info) {
        // This run's directory is one of them already.
        const journals = (await readdir(this.root)).length - 1;
        if (journals >= this.limits.maxEntries) throw full('journals', runId, journals, this.limits.maxEntries);
      }
      const before = info?.bytes ?? 0;
      const bytes = before + checked.bytes;
      if (bytes > checked.maxBytes) throw journalTooLarge(runId, bytes, checked.maxBytes);
      // A torn line, or the log of a journal that expired or was never finished, goes.
      if ((await sizeOf(log)) !== before) await (before === 0 ? writeFresh(log) : truncate(log, before));
      const handle = await open(log, 'a', 0o600);
      try {
        await handle.writeFile(checked.lines);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const now = new Date();
      const next: JournalInfo = {
        runId,
        records: count + records.length,
        bytes,
        createdAt: info?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + checked.ttlMs).toISOString(),
        status: checked.status ?? info?.status ?? '',
      };
      if (info) {
        // Without fsync: what the info holds can be rebuilt from the log.
        await writeDurably(dir, INFO, Buffer.from(JSON.stringify(next)), false);
      } else {
        await writeDurably(dir, INFO, Buffer.from(JSON.stringify(next)));
        await syncDirectory(dir);
        await syncDirectory(this.root);
      }
      return next;
    });
  }

  async read(runId: string): Promise<JournalData | undefined> {
    checkName(runId, 'runId');
    const dir = this.dirOf(runId);
    const path = join(dir, LOG);
    const stored = await readInfo(dir, runId);
    if (!stored || expired(stored)) return undefined;
    const info = await this.reconcile(path, stored);
    if (info.bytes > this.limits.maxEntryBytes) corrupt(path, `is ${info.bytes} bytes by its info, over the store's maxEntryBytes (${this.limits.maxEntryBytes})`);
    const bytes = Buffer.alloc(info.bytes);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (!handle) return corrupt(path, 'is missing while its info is there');
    try {
      const { bytesRead } = await handle.read(bytes, 0, info.bytes, 0);
      if (bytesRead !== info.bytes) corrupt(path, `holds ${bytesRead} bytes, its info says ${info.bytes}`);
    } finally {
      await handle.close();
    }
    const text = bytes.toString('utf8');
    const records = text.split('\n');
    // The text ends with a line break, so the last piece is empty.
    if (records.pop() !== '' || records.length !== info.records) corrupt(path, `does not hold the ${info.records} records its info says`);
    return { info, records };
  }

  async delete(runId: string): Promise<boolean> {
    checkName(runId, 'runId');
    const dir = this.dirOf(runId);
    let found: boolean;
    try {
      found = await withLock(dir, this.lockTimeoutMs, async () => {
        const info = await readInfo(dir, runId).catch(() => undefined);
        return (await this.remove(dir, runId, false)) && info !== undefined && !expired(info);
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    await rm(dir, { recursive: true, force: true });
    return found;
  }

  async list(): Promise<JournalInfo[]> {
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const infos: JournalInfo[] = [];
    for (const name of dirs) {
      const dir = join(this.root, name);
      // A directory that is not one of ours, or whose info was damaged, is not a journal.
      const info = await readInfo(dir, undefined).catch(() => undefined);
      if (!info || entryHash(info.runId) !== name) continue;
      if (!expired(info)) infos.push(info);
      else if (await withLock(dir, this.lockTimeoutMs, () => this.remove(dir, info.runId, true)).catch(() => false)) await rm(dir, { recursive: true, force: true });
    }
    return infos.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  /** The info as the log says: records and bytes of its complete lines, when the stored info is behind. */
  private async reconcile(log: string, info: JournalInfo): Promise<JournalInfo> {
    const size = await sizeOf(log);
    if (size === info.bytes) return info;
    if (size > this.limits.maxEntryBytes) corrupt(log, `is ${size} bytes, over the store's maxEntryBytes (${this.limits.maxEntryBytes})`);
    const bytes = await readFile(log);
    const end = bytes.lastIndexOf(0x0a) + 1;
    if (end < info.bytes) corrupt(log, `holds ${end} bytes of records, its info says ${info.bytes}`);
    let records = 0;
    for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) records++;
    return { ...info, records, bytes: end };
  }

  /**
   * Under the run's lock: removes its info (the commit point), then its log; true when the info was there.
   * `onlyExpired`: only if it is still expired (not renewed meanwhile).
   */
  private async remove(dir: string, runId: string, onlyExpired: boolean): Promise<boolean> {
    if (onlyExpired) {
      const info = await readInfo(dir, runId).catch(() => undefined);
      if (!info || !expired(info)) return false;
    }
    const removed = await unlink(join(dir, INFO)).then(
      () => true,
      () => false,
    );
    await unlink(join(dir, LOG)).catch(() => undefined);
    return removed;
  }

  private dirOf(runId: string): string {
    return join(this.root, entryHash(runId));
  }
}

function entryHash(runId: string): string {
  return createHash('sha256').update(runId, 'utf8').digest('hex');
}

function expired(info: JournalInfo): boolean {
  return Date.parse(info.expiresAt) <= Date.now();
}

/** The checked info of a run's journal; undefined when there is none. `runId` undefined: any run's. */
async function readInfo(dir: string, runId: string | undefined): Promise<JournalInfo | undefined> {
  const path = join(dir, INFO);
  let text: Buffer;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_INFO_BYTES) corrupt(path, `is ${size} bytes`);
    text = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch {
    return corrupt(path, 'is not JSON');
  }
  const info = parseJournalInfo(parsed);
  if (!info) return corrupt(path, 'has the wrong shape');
  if (runId !== undefined && info.runId !== runId) corrupt(path, `should be the journal of "${runId}" but is that of "${info.runId}"`);
  return info;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function writeFresh(path: string): Promise<void> {
  await (await open(path, 'w', 0o600)).close();
}

function corrupt(path: string, what: string): never {
  throw new CodemodeError('STORAGE_CORRUPT', `${path} ${what}; it was not written by this version of codemode, or was changed by hand`);
}
