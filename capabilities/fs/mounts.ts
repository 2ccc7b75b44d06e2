// Mounts: one virtual tree for the model, keyed by the paths it sees (`/data`, `/output`), each a real
// directory, a host-resolved tree, an in-memory directory or the artifact store. This file checks the
// `mounts` option and decides, for every model path, where it lies: under a directory mount (then the
// disk rules of resolve.ts and handle.ts decide, on the translated host path), in a virtual mount, or in
// the tree of mount points. It never touches the disk, and no host path ever appears in what it says.
import { posix } from 'node:path';
import type { Storage } from '../shared/public-api.js';
import { invalidOption, positiveInteger } from '../shared/options.js';
import { ArtifactsMount } from './artifacts-mount.js';
import { outsideRoots } from './errors.js';
import { HostedMount, isPlainName, type HostFilesMount, type HostResolveMount } from './hosted.js';
import { DEFAULT_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_FILES, MemoryMount } from './memory.js';
import { checkPathString } from './resolve.js';
import { buildRoots, Roots, within, type Access, type Root } from './roots.js';
import { MountTree, type VirtualDir } from './virtual.js';

/** A real directory at a virtual path; read-only unless `write`. All the rules of `allowedPaths` apply. */
export interface DirMount {
  readonly dir: string;
  readonly write?: boolean;
}

/** A writable directory in the host's memory, empty at the start of each run; its files come back with the result. */
export interface MemoryMountSpec {
  readonly memory: true;
  /** Bytes it holds per run. Default 16 MiB. */
  readonly maxBytes?: number;
  /** Files and directories it holds per run. Default 1000. */
  readonly maxFiles?: number;
}

/** The artifacts of the executor's (or workspace's) storage, or of the store given. */
export interface ArtifactsMountSpec {
  readonly artifacts: true | Storage;
}

export type MountSpec = DirMount | HostFilesMount | HostResolveMount | MemoryMountSpec | ArtifactsMountSpec;

/** Where a model path lies. */
/** Where a model path lies. `mount`: the mount point holding it (none for a root without mounts). */
export type Place = { readonly kind: 'disk'; readonly mount?: string } | { readonly kind: 'virtual'; readonly dir: VirtualDir; readonly sub: string; readonly mount: string };

interface Mount {
  readonly point: string;
  readonly summary: string;
  readonly writable: boolean;
  /** Undefined for a directory mount (the disk decides). */
  readonly virtual: VirtualDir | undefined;
}

export class MountTable {
  readonly roots: Roots;
  readonly mounts: readonly Mount[];
  private readonly tree: MountTree;

  constructor(where: string, raw: unknown, maxReadBytes: number) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.keys(raw).length === 0) {
      invalidOption(where, 'mounts', 'an object of mounts keyed by path, e.g. { "/data": { dir: "./data" } }', raw);
    }
    const mounts: Mount[] = [];
    const dirs: Root[] = [];
    for (const [point, spec] of Object.entries(raw as Record<string, unknown>)) {
      const name = `mounts[${JSON.stringify(point)}]`;
      if (!point.startsWith('/') || point === '/' || point.endsWith('/') || posix.normalize(point) !== point || point.split('/').slice(1).some((part) => !isPlainName(part))) {
        invalidOption(where, 'mounts', 'keyed by absolute paths such as "/data" (not "/", no "." or ".." or trailing "/")', point);
      }
      const other = mounts.find((mount) => within(mount.point, point) || within(point, mount.point));
      if (other) invalidOption(where, name, `a path outside the mount at ${other.point} (mounts cannot nest)`, point);
      const made = mountOf(where, name, point, spec, maxReadBytes);
      if ('root' in made) {
        dirs.push(made.root);
        mounts.push({ point, summary: made.root.write ? 'writable' : 'read-only', writable: made.root.write, virtual: undefined });
      } else {
        mounts.push({ point, summary: made.summary, writable: made.writable, virtual: made });
      }
    }
    this.mounts = mounts.sort((a, b) => (a.point < b.point ? -1 : 1));
    this.tree = new MountTree(this.mounts.map((mount) => mount.point));
    this.roots = new Roots(dirs, { word: 'mount', hint: (access) => this.hint(access) });
  }

  /** What the capability's description says of the mounts. */
  describe(): string {
    return `Mounts: ${this.mounts.map((mount) => `${mount.point} (${mount.summary})`).join(', ')}.`;
  }

  get writable(): boolean {
    return this.mounts.some((mount) => mount.writable);
  }

  /** Where `path` lies; refuses (denied) a path outside every mount, before anything is read. */
  locate(path: string, access: Access): Place {
    checkPathString(path, "is empty; use '/' to list the mounts");
    const virtual = posix.resolve('/', path);
    const mount = this.mounts.find((candidate) => within(candidate.point, virtual));
    if (mount?.virtual) return { kind: 'virtual', dir: mount.virtual, sub: virtual === mount.point ? '' : virtual.slice(mount.point.length + 1), mount: mount.point };
    if (mount) return { kind: 'disk', mount: mount.point };
    if (this.tree.holds(virtual)) return { kind: 'virtual', dir: this.tree, sub: virtual, mount: '/' };
    throw outsideRoots(path, this.roots, access);
  }

  private hint(access: Access): string {
    if (access === 'write') {
      const writable = this.mounts.filter((mount) => mount.writable).map((mount) => mount.point);
      return writable.length === 0 ? 'No mount is writable.' : `Writable mounts: ${writable.join(', ')}.`;
    }
    return `Mounts: ${this.mounts.map((mount) => mount.point).join(', ')}. fs.readDir({ path: '/' }) lists them.`;
  }
}

function mountOf(where: string, name: string, point: string, spec: unknown, maxReadBytes: number): { root: Root } | VirtualDir {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) invalidOption(where, name, 'a mount: { dir }, { files }, { resolve }, { memory: true } or { artifacts: true }', spec);
  const fields = spec as Record<string, unknown>;
  const keys = Object.keys(fields);
  const only = (allowed: string[]) => {
    const extra = keys.find((key) => !allowed.includes(key));
    if (extra !== undefined) invalidOption(where, name, `one kind of mount (unknown or extra key \`${extra}\`)`, spec);
  };
  if ('dir' in fields) {
    only(['dir', 'write']);
    const entry = fields.write === undefined ? { path: fields.dir } : { path: fields.dir, write: fields.write };
    const [root] = buildRoots(where, [entry], () => `${name}.dir`).map((built) => ({ ...built, shown: point, mount: point }));
    return { root: root! };
  }
  if ('files' in fields) {
    only(['files']);
    const files = fields.files;
    if (typeof files !== 'object' || files === null || Array.isArray(files)) invalidOption(where, `${name}.files`, 'an object of file names and functions', files);
    const map = new Map<string, HostFilesMount['files'][string]>();
    for (const [file, produce] of Object.entries(files)) {
      if (!isPlainName(file)) invalidOption(where, `${name}.files`, 'keyed by plain file names (no "/", not "." or "..")', file);
      if (typeof produce !== 'function') invalidOption(where, `${name}.files[${JSON.stringify(file)}]`, 'a function that returns the content', produce);
      map.set(file, produce as HostFilesMount['files'][string]);
    }
    return HostedMount.ofFiles(map, maxReadBytes);
  }
  if ('resolve' in fields) {
    only(['resolve', 'list']);
    if (typeof fields.resolve !== 'function') invalidOption(where, `${name}.resolve`, 'a function (subpath) => content | null', fields.resolve);
    if (fields.list !== undefined && typeof fields.list !== 'function') invalidOption(where, `${name}.list`, 'a function (subpath) => names | null', fields.list);
    const spec = fields as unknown as HostResolveMount;
    return new HostedMount({ resolve: spec.resolve.bind(spec), list: spec.list?.bind(spec) }, maxReadBytes);
  }
  if ('memory' in fields) {
    only(['memory', 'maxBytes', 'maxFiles']);
    if (fields.memory !== true) invalidOption(where, `${name}.memory`, 'true', fields.memory);
    return new MemoryMount(
      point,
      positiveInteger(where, `${name}.maxBytes`, fields.maxBytes, DEFAULT_MEMORY_MAX_BYTES),
      positiveInteger(where, `${name}.maxFiles`, fields.maxFiles, DEFAULT_MEMORY_MAX_FILES),
    );
  }
  if ('artifacts' in fields) {
    only(['artifacts']);
    const store = fields.artifacts;
    if (store === true) return new ArtifactsMount(undefined);
    if (typeof store !== 'object' || store === null || typeof (store as Storage).get !== 'function' || typeof (store as Storage).put !== 'function') {
      invalidOption(where, `${name}.artifacts`, 'true (the executor’s storage) or a Storage', store);
    }
    return new ArtifactsMount(store as Storage);
  }
  return invalidOption(where, name, 'a mount: { dir }, { files }, { resolve }, { memory: true } or { artifacts: true }', spec);
}
