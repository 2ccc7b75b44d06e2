// The workspace of one MCP session (`CodeModeServer({ workspaces: true })`): made on the session's first
// `execute`, emptied by `reset: true`, closed when the session ends. A workspace dropped for idleness is said
// once, in the call that finds it gone; the next call gets a new, empty one (never a silent fresh start).
import { CodemodeError } from '../errors.js';
import type { Executor, RunOptions, RunResult, Workspace } from '../index.js';

export class SessionWorkspace {
  private workspace: Promise<Workspace> | undefined;
  private closed = false;

  constructor(
    private readonly executor: Executor,
    /** The MCP session id (streamable HTTP); none on stdio. */
    private readonly sessionId: () => string | undefined,
  ) {}

  /** Runs `code` in the session's workspace. Throws CodemodeError when it cannot (closed, dropped, at the cap). */
  async run(code: string, options: RunOptions, reset: boolean): Promise<RunResult> {
    const workspace = await this.current();
    try {
      if (reset) await workspace.reset();
      return await workspace.run(code, options);
    } catch (error) {
      // Dropped after idleMs: this call says so, the next one starts a new workspace.
      if (error instanceof CodemodeError && error.code === 'WORKSPACE_EXPIRED') this.workspace = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const workspace = await this.workspace?.catch(() => undefined);
    await workspace?.close();
  }

  private current(): Promise<Workspace> {
    if (this.closed) return Promise.reject(new CodemodeError('WORKSPACE_CLOSED', 'the MCP session ended'));
    if (!this.workspace) {
      const id = this.sessionId();
      const made = this.executor.workspace(id === undefined ? {} : { id });
      // A failure (the executor's cap) is not kept: the next call tries again.
      made.catch(() => {
        if (this.workspace === made) this.workspace = undefined;
      });
      this.workspace = made;
    }
    return this.workspace;
  }
}
