// The live workspaces of one executor: options checked once, ids unique, at most `maxWorkspaces` at a time
// (each pins a sandbox process), all closed with the executor.
import { randomUUID } from 'node:crypto';
import { CodemodeError } from '../errors.js';
import { OBJECT, TEXT, checked, optional } from '../limits/rules.js';
import { WORKSPACE_LIMITS } from '../limits/table.js';
import { Workspace, type WorkspaceHost, type WorkspaceOptions } from './workspace.js';

/** Longest workspace id: a name in messages and a key, not a place for data. */
const MAX_ID_CHARS = 1000;

export class Workspaces {
  private readonly live = new Map<string, Workspace>();

  constructor(private readonly maxWorkspaces: number) {}

  open(host: WorkspaceHost, options: WorkspaceOptions = {}): Workspace {
    checked('options', OBJECT, options, 'workspace');
    const idleMs = optional('idleMs', WORKSPACE_LIMITS.idleMs, options.idleMs, WORKSPACE_LIMITS.idleMs.default, 'workspace');
    if (options.id !== undefined) {
      checked('id', TEXT, options.id, 'workspace');
      if (options.id.length > MAX_ID_CHARS) throw new CodemodeError('INVALID_OPTION', `workspace: expected \`id\` to be at most ${MAX_ID_CHARS} characters, got ${options.id.length}`);
    }
    const id = options.id ?? randomUUID();
    if (this.live.has(id)) throw new CodemodeError('WORKSPACE_EXISTS', `a workspace with id ${JSON.stringify(id)} is already open: use it, or close it first`);
    if (this.live.size >= this.maxWorkspaces) {
      throw new CodemodeError(
        'WORKSPACE_LIMIT',
        `this executor already has ${this.live.size} live workspaces, its \`maxWorkspaces\`; close one (ws.close()) or raise \`maxWorkspaces\``,
      );
    }
    const workspace = new Workspace(host, { id, idleMs }, (ended) => {
      if (this.live.get(ended.id) === ended) this.live.delete(ended.id);
    });
    this.live.set(id, workspace);
    return workspace;
  }

  get size(): number {
    return this.live.size;
  }

  async closeAll(reason: string): Promise<void> {
    await Promise.all([...this.live.values()].map((workspace) => workspace.closeWith(reason)));
  }
}
