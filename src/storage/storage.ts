// The one storage interface behind workflows, artifacts and (later) run journals: a keyed store of byte
// entries in namespaces, with a version per save for optimistic concurrency. Two implementations share this
// contract and one test suite: FileStorage (a directory; nothing to install) and RedisStorage (many hosts).
// Nothing here knows what an artifact or a workflow is; their stores encode onto entries.

/** The namespaces codemode keeps: each is its own keyspace with its own entry count. */
export const NAMESPACES = ['workflows', 'artifacts', 'journals'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** The largest entry a store accepts, in bytes of data. */
export const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024 * 1024;
/** The most entries one namespace holds. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Longest entry name, in characters. */
export const MAX_NAME_LENGTH = 200;
/** Largest `meta` (as JSON), in characters: a handful of short strings such as a content type. */
export const MAX_META_CHARS = 4096;

/** What a store says about an entry without its data (what `list()` returns). */
export interface EntryInfo {
  readonly name: string;
  /**
   * Set by the store on each save: a positive integer that only grows within a namespace, never reused,
   * even after a delete. Pass it back as `ifVersion` to save only if nobody saved in between.
   */
  readonly version: number;
  /** Bytes of data. */
  readonly size: number;
  /** ISO 8601: when the name was first saved (kept across later saves). */
  readonly createdAt: string;
  /** ISO 8601: when the entry was last saved. */
  readonly updatedAt: string;
  /** Small string properties saved with the entry (e.g. a content type). */
  readonly meta: Readonly<Record<string, string>>;
}

export interface Entry extends EntryInfo {
  readonly data: Uint8Array;
}

export interface PutOptions {
  /** Saved with the entry, replacing what it had. At most {@link MAX_META_CHARS} characters as JSON. */
  readonly meta?: Readonly<Record<string, string>>;
  /**
   * Optimistic concurrency: the version the caller read (save only if the entry is still at it), or `null`
   * (save only if no entry has this name). Omitted: save whatever is there. A mismatch throws
   * `CodemodeError('VERSION_CONFLICT')` and changes nothing.
   */
  readonly ifVersion?: number | null;
}

export interface DeleteOptions {
  /** Delete only if the entry is still at this version; a mismatch throws `VERSION_CONFLICT`. */
  readonly ifVersion?: number;
}

/**
 * A keyed store of byte entries. Every method checks the name first (`INVALID_NAME`); a save is atomic
 * (readers and crashes see the old entry or the whole new one, never part of one); sizes and counts are
 * capped (`TOO_LARGE`, `STORAGE_FULL`). Names are listed in code-unit order.
 */
export interface Storage {
  /** Where the data lives, for messages: `file:/abs/dir` or `redis://host:port` (no password). */
  readonly location: string;
  get(namespace: Namespace, name: string): Promise<Entry | undefined>;
  put(namespace: Namespace, name: string, data: Uint8Array, options?: PutOptions): Promise<EntryInfo>;
  /** Resolves to whether an entry was there. */
  delete(namespace: Namespace, name: string, options?: DeleteOptions): Promise<boolean>;
  list(namespace: Namespace): Promise<EntryInfo[]>;
  /**
   * A number that grows with every put and delete in the namespace, by any host: one small read tells a
   * reader whether listing again can show anything new (0 before the first write).
   */
  revision(namespace: Namespace): Promise<number>;
  /**
   * Appends records (each a line of text without a line break, e.g. JSON) to the journal of a run, creating
   * it when `at` is 0. Atomic per call with the `at` check: two writers of one run cannot interleave. The
   * journals count against `maxEntries` like the entries of a namespace.
   */
  appendJournal(runId: string, records: readonly string[], options: AppendOptions): Promise<JournalInfo>;
  /** The journal of a run; undefined when there is none or it expired. */
  readJournal(runId: string): Promise<JournalData | undefined>;
  /** Resolves to whether a journal was there. */
  deleteJournal(runId: string): Promise<boolean>;
  /** Every journal that has not expired, without records, sorted by run id (expired ones are removed). */
  listJournals(): Promise<JournalInfo[]>;
  /** Releases connections and locks; later calls throw `STORAGE_CLOSED`. */
  close(): Promise<void>;
}

/** What a store says about a run's journal (what `listJournals()` returns); see src/journal/ for the records. */
export interface JournalInfo {
  readonly runId: string;
  /** Records held. */
  readonly records: number;
  /** Bytes of the records, as UTF-8, one line each. */
  readonly bytes: number;
  /** ISO 8601: the first append. */
  readonly createdAt: string;
  /** ISO 8601: the last append. */
  readonly updatedAt: string;
  /** ISO 8601: when the store forgets the journal; each append moves it to `ttlMs` after itself. */
  readonly expiresAt: string;
  /** The word the last append that gave one left with the journal (e.g. `running`, `paused`, `ended`). */
  readonly status: string;
}

export interface AppendOptions {
  /**
   * Records the journal must hold for the append to happen: 0 for a new journal, else the count the writer
   * read or last wrote. A mismatch (another writer of the same run) throws `VERSION_CONFLICT` and writes nothing.
   */
  readonly at: number;
  /** The journal expires this long after the append, in milliseconds. */
  readonly ttlMs: number;
  /** The journal's cap in bytes (at most the store's `maxEntryBytes`): an append past it throws `TOO_LARGE` and writes nothing. */
  readonly maxBytes: number;
  /** 1 to 20 lowercase letters, kept as the journal's `status` until an append gives another. */
  readonly status?: string;
}

/** A journal as read back: its info and its records, in append order. */
export interface JournalData {
  readonly info: JournalInfo;
  readonly records: string[];
}

export interface StorageLimits {
  /** Largest entry, in bytes. Default {@link DEFAULT_MAX_ENTRY_BYTES} (16 MiB). */
  readonly maxEntryBytes?: number;
  /** Most entries per namespace. Default {@link DEFAULT_MAX_ENTRIES} (10,000). */
  readonly maxEntries?: number;
}
