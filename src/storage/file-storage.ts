// FileStorage: the embedded default store, a directory with one subdirectory per namespace and one file per
// entry. Needs nothing installed; several processes on one machine may share a directory.
//
// A save writes a temp file, fsyncs it, renames it over the entry and fsyncs the directory, so a reader or
// a crash sees the old entry or the whole new one. Saves and deletes of a namespace hold its lock
// (file-lock.ts), which makes the version check, the count cap and the version counter exact across
// processes. Reads take no lock: a rename is atomic.
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CodemodeError, describeValue } from '../errors.js';
import { checkIfVersion, checkName, checkNamespace, checkPut, closed, conflict, full, knownOptions, resolveLimits, type ResolvedLimits } from './checks.js';
import { ENTRY_SUFFIX, encodeEntry, entryFileName, readEntry, readEntryInfo, syncDirectory, writeDurably } from './file-entry.js';
import { FileJournals } from './file-journal.js';
import { withLock } from './file-lock.js';
import type { AppendOptions, DeleteOptions, Entry, EntryInfo, JournalData, JournalInfo, Namespace, PutOptions, Storage, StorageLimits } from './storage.js';

export interface FileStorageOptions extends StorageLimits {
  /** The directory; created on the first save. Relative paths resolve against the working directory now. */
  readonly dir: string;
  /** How long a save waits for another process's save of the same namespace. Default 10,000 ms. */
  readonly lockTimeoutMs?: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const WHERE = 'FileStorage';
/** The last version handed out in a namespace, so versions keep growing after a delete. */
const SEQUENCE = '.version';

export class FileStorage implements Storage {
  readonly location: string;
  readonly #root: string;
  readonly #limits: ResolvedLimits;
  readonly #lockTimeoutMs: number;
  readonly #journals: FileJournals;
  #closed = false;

  constructor(options: FileStorageOptions) {
    const raw = knownOptions(WHERE, options, ['dir', 'maxEntryBytes', 'maxEntries', 'lockTimeoutMs']);
    if (typeof raw.dir !== 'string' || raw.dir === '' || raw.dir.includes('\0')) {
      throw new CodemodeError('INVALID_OPTION', `${WHERE}: expected \`dir\` to be a path, got ${describeValue(raw.dir)}`);
    }
    this.#root = resolve(raw.dir);
    this.location = `file:${this.#root}`;
    this.#limits = resolveLimits(WHERE, options);
    const timeout = raw.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout < 0) {
      throw new CodemodeError('INVALID_OPTION', `${WHERE}: expected \`lockTimeoutMs\` to be a non-negative integer, got ${describeValue(timeout)}`);
    }
    this.#lockTimeoutMs = timeout;
    this.#journals = new FileJournals(join(this.#root, 'journals', 'runs'), this.#limits, timeout);
  }

  async get(namespace: Namespace, name: string): Promise<Entry | undefined> {
    const path = join(this.#dir(namespace), entryFileName(this.#check(name)));
    const entry = await readEntry(path);
    if (entry !== undefined && entry.name !== name) mismatch(path, name, entry.name);
    return entry;
  }

  async put(namespace: Namespace, name: string, data: Uint8Array, options?: PutOptions): Promise<EntryInfo> {
    const dir = this.#dir(namespace);
    const checked = checkPut(namespace, this.#check(name), data, options, this.#limits);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return withLock(dir, this.#lockTimeoutMs, async () => {
      const path = join(dir, entryFileName(name));
      const current = await readEntryInfo(path);
      if (current !== undefined && current.name !== name) mismatch(path, name, current.name);
      if (checked.ifVersion !== undefined && (checked.ifVersion ?? 0) !== (current?.version ?? 0)) {
        throw conflict(namespace, name, checked.ifVersion, current?.version ?? 0);
      }
      if (current === undefined) {
        const count = (await readdir(dir)).filter((file) => file.endsWith(ENTRY_SUFFIX)).length;
        if (count >= this.#limits.maxEntries) throw full(namespace, name, count, this.#limits.maxEntries);
      }
      const version = Math.max(await readSequence(dir), current?.version ?? 0) + 1;
      const now = new Date().toISOString();
      const info: EntryInfo = { name, version, size: checked.data.byteLength, createdAt: current?.createdAt ?? now, updatedAt: now, meta: JSON.parse(checked.metaJson) };
      // The counter first: a crash between the two wastes a version number, never reuses one.
      await writeDurably(dir, SEQUENCE, Buffer.from(String(version)));
      await writeDurably(dir, entryFileName(name), encodeEntry(info, checked.data));
      await syncDirectory(dir);
      return info;
    });
  }

  async delete(namespace: Namespace, name: string, options?: DeleteOptions): Promise<boolean> {
    const dir = this.#dir(namespace);
    this.#check(name);
    const ifVersion = checkIfVersion(options?.ifVersion, false);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return withLock(dir, this.#lockTimeoutMs, async () => {
      const path = join(dir, entryFileName(name));
      const current = await readEntryInfo(path);
      if (ifVersion !== undefined && ifVersion !== (current?.version ?? 0)) throw conflict(namespace, name, ifVersion, current?.version ?? 0);
      if (current === undefined) return false;
      // The counter moves on a delete too: it is the namespace's revision, which readers compare.
      await writeDurably(dir, SEQUENCE, Buffer.from(String((await readSequence(dir)) + 1)));
      await unlink(path);
      await syncDirectory(dir);
      return true;
    });
  }

  revision(namespace: Namespace): Promise<number> {
    return readSequence(this.#dir(namespace));
  }

  async list(namespace: Namespace): Promise<EntryInfo[]> {
    const dir = this.#dir(namespace);
    let files: string[];
    try {
      files = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // An entry deleted between readdir and read resolves to undefined and is left out.
    const infos = await Promise.all(files.filter((file) => file.endsWith(ENTRY_SUFFIX)).map((file) => readEntryInfo(join(dir, file))));
    return infos.filter((info) => info !== undefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async appendJournal(runId: string, records: readonly string[], options: AppendOptions): Promise<JournalInfo> {
    return this.#open().append(runId, records, options);
  }

  async readJournal(runId: string): Promise<JournalData | undefined> {
    return this.#open().read(runId);
  }

  async deleteJournal(runId: string): Promise<boolean> {
    return this.#open().delete(runId);
  }

  async listJournals(): Promise<JournalInfo[]> {
    return this.#open().list();
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #dir(namespace: Namespace): string {
    if (this.#closed) throw closed(this.location);
    return join(this.#root, checkNamespace(namespace));
  }

  #open(): FileJournals {
    if (this.#closed) throw closed(this.location);
    return this.#journals;
  }

  #check(name: string): string {
    return checkName(name);
  }
}

async function readSequence(dir: string): Promise<number> {
  try {
    const value = Number((await readFile(join(dir, SEQUENCE), 'utf8')).trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function mismatch(path: string, name: string, found: string): never {
  throw new CodemodeError('STORAGE_CORRUPT', `${path} should hold "${name}" but holds "${found}"; it was moved or changed by hand`);
}
