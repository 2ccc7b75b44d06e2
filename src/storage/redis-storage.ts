// RedisStorage: the store many hosts share. Each namespace is three keys under the prefix: one hash per
// entry (`info` JSON and `data` bytes), an index hash (name → info, for listings and the count cap) and a
// version counter. Saves and deletes are Lua scripts (redis-scripts.ts), so they are atomic on the server.
// Keys of one namespace share a hash tag (`{artifacts}`), so they stay in one slot on Redis Cluster.
//
// The client is node-redis (`@redis/client`, Redis's own client), loaded on first use: importing
// `codemode/storage` costs nothing when only FileStorage is used.
import type { RedisClientType } from '@redis/client';
import { CodemodeError, describeValue } from '../errors.js';
import {
  checkAppend,
  checkIfVersion,
  checkName,
  checkNamespace,
  checkPut,
  closed,
  conflict,
  full,
  journalConflict,
  journalTooLarge,
  knownOptions,
  parseJournalInfo,
  resolveLimits,
  type ResolvedLimits,
} from './checks.js';
import { APPEND_JOURNAL, DELETE, DELETE_JOURNAL, PUT, READ_JOURNAL, type Script } from './redis-scripts.js';
import type { AppendOptions, DeleteOptions, Entry, EntryInfo, JournalData, JournalInfo, Namespace, PutOptions, Storage, StorageLimits } from './storage.js';

export interface RedisStorageOptions extends StorageLimits {
  /** `redis://[[user]:password@]host[:port][/db]` or `rediss://…` for TLS. */
  readonly url: string;
  /** Put before every key. Default `codemode:`. */
  readonly prefix?: string;
  /** How long to wait for a connection, and for each command. Default 10,000 ms. */
  readonly timeoutMs?: number;
}

export const DEFAULT_REDIS_PREFIX = 'codemode:';
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;
const MAX_PREFIX_LENGTH = 100;
const WHERE = 'RedisStorage';
/** Reconnect attempts after a dropped connection before calls fail (the next call tries afresh). */
const RECONNECT_ATTEMPTS = 3;

type Client = RedisClientType;
type Reply = Buffer | number | null | Reply[];

export class RedisStorage implements Storage {
  readonly location: string;
  readonly #url: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #limits: ResolvedLimits;
  #client: Promise<Client> | undefined;
  #closed = false;

  constructor(options: RedisStorageOptions) {
    const raw = knownOptions(WHERE, options, ['url', 'prefix', 'timeoutMs', 'maxEntryBytes', 'maxEntries']);
    let url: URL | undefined;
    try {
      url = typeof raw.url === 'string' ? new URL(raw.url) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      // The value is not shown: a Redis URL may carry a password.
      throw new CodemodeError('INVALID_OPTION', `${WHERE}: expected \`url\` to be a redis:// or rediss:// URL, got ${typeof raw.url === 'string' ? 'a string that is not one' : describeValue(raw.url)}`);
    }
    this.#url = url.href;
    this.location = `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
    const prefix = raw.prefix ?? DEFAULT_REDIS_PREFIX;
    if (typeof prefix !== 'string' || prefix.length > MAX_PREFIX_LENGTH || /[\u0000-\u001f\u007f{}]/.test(prefix)) {
      throw new CodemodeError('INVALID_OPTION', `${WHERE}: expected \`prefix\` to be at most ${MAX_PREFIX_LENGTH} characters without control characters or braces, got ${describeValue(prefix)}`);
    }
    this.#prefix = prefix;
    const timeout = raw.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
    if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout) || timeout <= 0) {
      throw new CodemodeError('INVALID_OPTION', `${WHERE}: expected \`timeoutMs\` to be a positive integer, got ${describeValue(timeout)}`);
    }
    this.#timeoutMs = timeout;
    this.#limits = resolveLimits(WHERE, options);
  }

  async get(namespace: Namespace, name: string): Promise<Entry | undefined> {
    const keys = this.#keys(namespace, checkName(name));
    const reply = (await this.#command(['HMGET', keys.entry, 'info', 'data'])) as [Buffer | null, Buffer | null];
    if (reply[0] === null || reply[1] === null) return undefined;
    const info = this.#info(reply[0]);
    return { ...info, data: new Uint8Array(reply[1].buffer, reply[1].byteOffset, reply[1].byteLength) };
  }

  async put(namespace: Namespace, name: string, data: Uint8Array, options?: PutOptions): Promise<EntryInfo> {
    const keys = this.#keys(namespace, checkName(name));
    const checked = checkPut(namespace, name, data, options, this.#limits);
    const ifVersion = checked.ifVersion === undefined ? '' : String(checked.ifVersion ?? 0);
    const bytes = Buffer.from(checked.data.buffer, checked.data.byteOffset, checked.data.byteLength);
    const [status, value] = await this.#run(PUT, [keys.entry, keys.index, keys.version], [name, bytes, checked.metaJson, ifVersion, new Date().toISOString(), String(this.#limits.maxEntries)]);
    if (status === 'conflict') throw conflict(namespace, name, checked.ifVersion ?? null, Number(value));
    if (status === 'full') throw full(namespace, name, Number(value), this.#limits.maxEntries);
    return this.#info(value as Buffer);
  }

  async delete(namespace: Namespace, name: string, options?: DeleteOptions): Promise<boolean> {
    const keys = this.#keys(namespace, checkName(name));
    const ifVersion = checkIfVersion(options?.ifVersion, false);
    const [status, value] = await this.#run(DELETE, [keys.entry, keys.index, keys.version], [name, ifVersion === undefined ? '' : String(ifVersion)]);
    if (status === 'conflict') throw conflict(namespace, name, ifVersion ?? null, Number(value));
    return value === 1;
  }

  async revision(namespace: Namespace): Promise<number> {
    const value = Number(((await this.#command(['GET', this.#keys(namespace, undefined).version])) as Buffer | null)?.toString() ?? 0);
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  }

  async list(namespace: Namespace): Promise<EntryInfo[]> {
    const keys = this.#keys(namespace, undefined);
    const values = (await this.#command(['HVALS', keys.index])) as Buffer[];
    return values.map((value) => this.#info(value)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async appendJournal(runId: string, records: readonly string[], options: AppendOptions): Promise<JournalInfo> {
    const keys = this.#journalKeys(runId);
    const checked = checkAppend(runId, records, options, this.#limits);
    const now = Date.now();
    const args = [runId, String(checked.at), String(checked.ttlMs), String(checked.maxBytes), new Date(now).toISOString(), new Date(now + checked.ttlMs).toISOString(), checked.status ?? '', String(this.#limits.maxEntries), String(now)];
    const [status, value] = await this.#run(APPEND_JOURNAL, [keys.log, keys.index], [...args, ...records]);
    if (status === 'conflict') throw journalConflict(runId, checked.at, Number(value));
    if (status === 'full') throw full('journals', runId, Number(value), this.#limits.maxEntries);
    if (status === 'too_large') throw journalTooLarge(runId, Number(value), checked.maxBytes);
    return this.#journalInfo(value as Buffer, runId);
  }

  async readJournal(runId: string): Promise<JournalData | undefined> {
    const keys = this.#journalKeys(checkName(runId, 'runId'));
    const reply = (await this.#runRaw(READ_JOURNAL, [keys.log, keys.index], [runId, String(Date.now()), String(this.#limits.maxEntryBytes)])) as Buffer[];
    const status = reply[0]!.toString('utf8');
    if (status === 'none') return undefined;
    if (status === 'too_large') throw this.#corrupt(`journal "${runId}" is ${reply[1]!.toString('utf8')} bytes, over the store's maxEntryBytes (${this.#limits.maxEntryBytes})`);
    const info = this.#journalInfo(reply[1]!, runId);
    const records = reply.slice(2).map((record) => record.toString('utf8'));
    const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(record, 'utf8') + 1, 0);
    if (records.length !== info.records || bytes !== info.bytes) throw this.#corrupt(`journal "${runId}" holds ${records.length} records of ${bytes} bytes, its info says ${info.records} of ${info.bytes}`);
    return { info, records };
  }

  async deleteJournal(runId: string): Promise<boolean> {
    const keys = this.#journalKeys(checkName(runId, 'runId'));
    const [, value] = await this.#run(DELETE_JOURNAL, [keys.log, keys.index], [runId, String(Date.now())]);
    return value === 1;
  }

  async listJournals(): Promise<JournalInfo[]> {
    const keys = this.#journalKeys(undefined);
    const values = (await this.#command(['HVALS', keys.index])) as Buffer[];
    const now = Date.now();
    const live: JournalInfo[] = [];
    for (const value of values) {
      let info: JournalInfo | undefined;
      try {
        info = this.#journalInfo(value, undefined);
      } catch {
        continue;
      }
      if (Date.parse(info.expiresAt) > now) live.push(info);
      // Gone from Redis already (the list expired); its index line goes too, unless renewed meanwhile.
      else await this.#run(DELETE_JOURNAL, [this.#journalKeys(info.runId).log, keys.index], [info.runId, String(now)]);
    }
    return live.sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const client = await this.#client?.catch(() => undefined);
    if (client?.isOpen) await client.close();
  }

  #keys(namespace: Namespace, name: string | undefined) {
    if (this.#closed) throw closed(this.location);
    const base = `${this.#prefix}{${checkNamespace(namespace)}}`;
    return { entry: `${base}:entry:${name ?? ''}`, index: `${base}:index`, version: `${base}:version` };
  }

  #journalKeys(runId: string | undefined) {
    if (this.#closed) throw closed(this.location);
    const base = `${this.#prefix}{journals}`;
    return { log: `${base}:journal:${runId ?? ''}`, index: `${base}:journal-index` };
  }

  #journalInfo(bytes: Buffer, runId: string | undefined): JournalInfo {
    let info: JournalInfo | undefined;
    try {
      info = parseJournalInfo(JSON.parse(bytes.toString('utf8')));
    } catch {
      info = undefined;
    }
    if (!info || (runId !== undefined && info.runId !== runId)) throw this.#corrupt(`the journal info of ${JSON.stringify(runId ?? '?')} is not one codemode wrote`);
    return info;
  }

  #corrupt(what: string): CodemodeError {
    return new CodemodeError('STORAGE_CORRUPT', `${what} (${this.location}, prefix ${this.#prefix}); it was written by hand or by something else`);
  }

  #info(bytes: Buffer): EntryInfo {
    try {
      const info = JSON.parse(bytes.toString('utf8')) as EntryInfo;
      // cjson writes an empty object and an empty array alike, as `{}`.
      return { name: info.name, version: info.version, size: info.size, createdAt: info.createdAt, updatedAt: info.updatedAt, meta: info.meta ?? {} };
    } catch {
      throw new CodemodeError('STORAGE_CORRUPT', `an entry in ${this.location} under ${this.#prefix} has info that is not JSON; it was written by hand or by something else`);
    }
  }

  /** Runs a script by its SHA-1, loading it once when the server does not know it yet. */
  async #run(script: Script, keys: string[], args: (string | Buffer)[]): Promise<[string, Reply]> {
    const [status, value] = (await this.#runRaw(script, keys, args)) as [Buffer, Reply];
    return [status.toString('utf8'), value];
  }

  async #runRaw(script: Script, keys: string[], args: (string | Buffer)[]): Promise<Reply> {
    const tail = [String(keys.length), ...keys, ...args];
    let reply: Reply;
    try {
      reply = (await this.#command(['EVALSHA', script.sha1, ...tail], true)) as Reply;
    } catch (error) {
      if (!(error instanceof NoScript)) throw error;
      reply = (await this.#command(['EVAL', script.source, ...tail])) as Reply;
    }
    return reply;
  }

  async #command(args: (string | Buffer)[], scriptMayBeMissing = false): Promise<unknown> {
    const client = await this.#connect();
    try {
      return await client.sendCommand(args, { timeout: this.#timeoutMs });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (scriptMayBeMissing && message.startsWith('NOSCRIPT')) throw new NoScript();
      if (!client.isOpen) this.#client = undefined;
      throw new CodemodeError('STORAGE_UNAVAILABLE', `redis at ${this.location}: ${message}`);
    }
  }

  #connect(): Promise<Client> {
    if (this.#closed) return Promise.reject(closed(this.location));
    this.#client ??= open(this.#url, this.#timeoutMs).catch((error: unknown) => {
      this.#client = undefined;
      throw new CodemodeError('STORAGE_UNAVAILABLE', `cannot connect to redis at ${this.location}: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.#client;
  }
}

class NoScript extends Error {}

async function open(url: string, timeoutMs: number): Promise<Client> {
  const { createClient, RESP_TYPES } = await import('@redis/client');
  const client = createClient({
    url,
    // A call made while the connection is down fails now instead of waiting in a queue with no end.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      reconnectStrategy: (retries: number, cause: Error) => (retries >= RECONNECT_ATTEMPTS ? cause : 50 * 2 ** retries),
    },
    // Bulk strings as bytes: entry data is binary.
    commandOptions: { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } },
  });
  // Without a listener an 'error' event would crash the host; failures reach callers through their calls.
  client.on('error', () => undefined);
  await client.connect();
  return client as unknown as Client;
}
