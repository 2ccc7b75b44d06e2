// Host-resolved mounts: read-only files whose content a host function produces when the model reads them
// (`{ files: { ip: async () => … } }`, or `{ resolve, list? }` for a whole tree). What the functions
// return is checked like anything else from outside: content must be text or bytes within the read limit,
// names must be plain names. Their failures reach the model as clean `host` errors: a ToolError keeps its
// words (the host chose them), any other error is said without its message, which may carry host details.
import { ToolError, type ToolContext } from '../shared/public-api.js';
import { codeError, quote, tooLargeToRead } from './errors.js';
import { MAX_NAME_BYTES } from './resolve.js';
import { capEntries, type EntryType, type VirtualDir, type VirtualPath, type VirtualStat } from './virtual.js';

/** What a host function gives for a file: text (stored as UTF-8) or bytes. */
export type HostFileContent = string | Uint8Array;

/** What a host function receives besides the path. */
export interface HostFileContext {
  /** Aborted when the run ends: pass it on to a fetch. */
  readonly signal: AbortSignal;
  /** The path as the model wrote it, for messages. */
  readonly path: string;
}

/** `{ files: { name: fn } }`: a flat directory of named files, each produced by its function when read. */
export interface HostFilesMount {
  readonly files: Readonly<Record<string, (context: HostFileContext) => HostFileContent | Promise<HostFileContent>>>;
}

/**
 * `{ resolve, list? }`: a tree the host answers. `subpath` is relative to the mount (`''` is the mount
 * itself; `'a/b.txt'`). `resolve` gives a file's content or null (not a file); `list` gives a directory's
 * names (a name ending in `/` is a directory) or null (not a directory). Without `list` the mount cannot be
 * listed, only read by path.
 */
export interface HostResolveMount {
  resolve(subpath: string, context: HostFileContext): HostFileContent | null | Promise<HostFileContent | null>;
  list?(subpath: string, context: HostFileContext): readonly string[] | null | Promise<readonly string[] | null>;
}

type Resolve = HostResolveMount['resolve'];
type List = NonNullable<HostResolveMount['list']>;

/** A plain name: not empty, not `.` or `..`, no `/` or NUL, at most 255 bytes. */
export function isPlainName(name: unknown): name is string {
  return typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0') && Buffer.byteLength(name) <= MAX_NAME_BYTES;
}

export class HostedMount implements VirtualDir {
  readonly writable = false;
  readonly summary: string;
  private readonly resolveFn: Resolve;
  private readonly listFn: List | undefined;

  /** `maxBytes`: the read limit, which a `stat` (it produces the file to learn its size) applies too. */
  constructor(spec: { resolve: Resolve; list?: List | undefined }, private readonly maxBytes: number) {
    this.resolveFn = spec.resolve;
    this.listFn = spec.list;
    this.summary = spec.list ? 'read-only; made by the host when read' : 'read-only; made by the host when read, by path only (not listed)';
  }

  /** A `files` mount as a resolver: only its own names, at the top. */
  static ofFiles(files: ReadonlyMap<string, (context: HostFileContext) => HostFileContent | Promise<HostFileContent>>, maxBytes: number): HostedMount {
    return new HostedMount({
      resolve: (subpath, context) => {
        const produce = files.get(subpath);
        return produce ? produce(context) : null;
      },
      list: (subpath) => (subpath === '' ? [...files.keys()] : null),
    }, maxBytes);
  }

  async stat(at: VirtualPath, context: ToolContext): Promise<VirtualStat | null> {
    if (at.sub === '') return { type: 'directory', size: 0, modifiedAt: new Date() };
    const content = await this.produce(at, context, this.maxBytes);
    if (content !== null) return { type: 'file', size: content.length, modifiedAt: new Date() };
    if (this.listFn && (await this.names(at, context)) !== null) return { type: 'directory', size: 0, modifiedAt: new Date() };
    return null;
  }

  async read(at: VirtualPath, context: ToolContext, maxBytes: number, limit?: string): Promise<Uint8Array> {
    if (at.sub === '') throw codeError('EISDIR', at.shown, 'Use fs.readDir to list a directory.');
    const content = await this.produce(at, context, maxBytes, limit);
    if (content === null) throw codeError('ENOENT', at.shown);
    return content;
  }

  async list(at: VirtualPath, context: ToolContext, maxEntries: number) {
    if (!this.listFn) {
      throw new ToolError('host', `${quote(at.shown)} cannot be listed: the host answers reads of files by path only`, { hint: 'Read a file by its path with fs.readFile.' });
    }
    const names = await this.names(at, context);
    if (names === null) throw codeError('ENOENT', at.shown);
    const entries = new Map<string, EntryType>();
    for (const raw of names) {
      if (typeof raw !== 'string') continue;
      const directory = raw.endsWith('/');
      const name = directory ? raw.slice(0, -1) : raw;
      // A name the host got wrong is left out, never passed on: it could not be opened anyway.
      if (isPlainName(name) && !entries.has(name)) entries.set(name, directory ? 'directory' : 'file');
      if (entries.size > maxEntries) break;
    }
    return capEntries([...entries].map(([name, type]) => ({ name, type })), maxEntries);
  }

  private async names(at: VirtualPath, context: ToolContext): Promise<readonly unknown[] | null> {
    const names = await this.host(at, context, (hostContext) => this.listFn!(at.sub, hostContext));
    if (names === null || names === undefined) return null;
    if (!Array.isArray(names)) throw new ToolError('host', `the host listed ${quote(at.shown)} wrongly (not an array of names)`);
    return names;
  }

  /** The content the host gives for `at`, as bytes within `maxBytes`; null when it is not a file. */
  private async produce(at: VirtualPath, context: ToolContext, maxBytes: number, limit?: string): Promise<Uint8Array | null> {
    const content = await this.host(at, context, (hostContext) => this.resolveFn(at.sub, hostContext));
    if (content === null || content === undefined) return null;
    let bytes: Uint8Array;
    if (typeof content === 'string') {
      // Cheap first: a string whose length is past the limit is past it in UTF-8 too.
      if (content.length > maxBytes) throw tooLargeToRead(at.shown, content.length, maxBytes, limit);
      bytes = Buffer.from(content, 'utf8');
    } else if (content instanceof Uint8Array) {
      bytes = content;
    } else {
      throw new ToolError('host', `the host gave no content for ${quote(at.shown)} (expected text or bytes)`);
    }
    if (bytes.length > maxBytes) throw tooLargeToRead(at.shown, bytes.length, maxBytes, limit);
    return bytes;
  }

  /** Calls a host function; its failure becomes a clean `host` error. */
  private async host<T>(at: VirtualPath, context: ToolContext, work: (context: HostFileContext) => T | Promise<T>): Promise<T> {
    try {
      return await work({ signal: context.signal, path: at.shown });
    } catch (error) {
      if (error instanceof ToolError) throw error;
      if (context.signal.aborted) throw new ToolError('host', 'the run ended before the call finished');
      throw new ToolError('host', `the host could not produce ${quote(at.shown)}`, { hint: 'Try again later.' });
    }
  }
}
