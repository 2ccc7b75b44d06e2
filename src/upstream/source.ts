// McpToolSource: codemode in front of the MCP servers people already run. It is an MCP client of each
// configured server and offers their tools as capabilities, `codemode.<server>.<tool>(input)`, typed from
// each tool's own JSON Schema. It holds every upstream credential and never shows one to the model.
//
//   const source = new McpToolSource({ servers: { memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } });
//   await source.start();
//   const executor = new Executor({ capabilities: source.capabilities() });
//   source.onChange(() => ...); // a server connected, died and came back, or changed its tool list
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CodemodeError, describeValue } from '../errors.js';
import type { Capability } from '../tools/define.js';
import { resolvePolicy, resolveServers, secretsOf, type McpServersConfig, type ServerConfig, type UpstreamPolicy } from './config.js';
import { Connection, type ServerState } from './connection.js';
import { Redactor } from './redact.js';
import { serverCapability } from './tools.js';

export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** Lines of what was left out of a tool list in one operator warning; status() has them all. */
const MAX_SKIPPED_SHOWN = 5;
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_RECONNECT_DELAY_MS = 500;
export const DEFAULT_MAX_RECONNECT_DELAY_MS = 30_000;

export interface McpToolSourceOptions {
  /** The `mcpServers` map of an MCP client config: stdio `{ command, args?, env?, cwd? }` or HTTP `{ url, headers? }`. */
  servers: Readonly<Record<string, ServerConfig>>;
  /** `"server"` or `"server.tool"` → `'auto' | 'ask' | 'deny' | 'hide'`. Default: `'ask'` for tools hinting `destructiveHint`, else `'auto'`. */
  policy?: Readonly<Record<string, UpstreamPolicy>>;
  /** Where relative `cwd`s start. Default: the working directory (for `fromFile`, the file's directory). */
  baseDir?: string;
  /** Longest wait for one tool call, unless a server sets its own `timeoutMs`. Default 60 000. */
  callTimeoutMs?: number;
  /** Longest wait to connect and list tools. Default 30 000. */
  connectTimeoutMs?: number;
  /** First wait before reconnecting a server that died; later waits are random up to a ceiling that doubles per failed attempt. Default 500. */
  reconnectDelayMs?: number;
  /** Longest wait between reconnect attempts. Default 30 000. */
  maxReconnectDelayMs?: number;
  /** A server connected, died, changed its tools: one line each, credentials removed. For a log. */
  onEvent?: (event: { server: string; message: string }) => void;
  /** Our name in the handshake with upstream servers. Default `'codemode'`. */
  clientName?: string;
}

export interface ServerStatus {
  readonly name: string;
  readonly state: ServerState;
  /** Tools offered (after `hide`), from the last good tool list. */
  readonly tools: number;
  /** Process id of a stdio server while it runs. */
  readonly pid: number | undefined;
  /** Why the server is down; credentials removed. */
  readonly error: string | undefined;
  /** What codemode left out of or cut from the server's tool list, with why: names it cannot address, what UPSTREAM_CAPS cut. */
  readonly skipped: readonly string[];
}

export class McpToolSource {
  private readonly connections: Connection[];
  private readonly policy: ReadonlyMap<string, UpstreamPolicy>;
  private readonly redactor: Redactor;
  private readonly byServer = new Map<string, { capability: Capability; skipped: readonly string[] }>();
  private readonly listeners = new Set<() => void>();
  private started: Promise<void> | undefined;
  private readonly onEvent: McpToolSourceOptions['onEvent'];

  /** Reads an mcp.json file (`{ "mcpServers": {...}, "policy": {...} }`); relative `cwd`s start at its directory. */
  static fromFile(file: string, options: Omit<McpToolSourceOptions, 'servers' | 'policy' | 'baseDir'> = {}): McpToolSource {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new CodemodeError('INVALID_OPTION', `cannot read MCP servers file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const config = raw as Partial<McpServersConfig> | null;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) {
      throw new CodemodeError('INVALID_OPTION', `${file}: expected a JSON object with "mcpServers", got ${describeValue(config)}`);
    }
    const unknown = Object.keys(config).filter((key) => key !== 'mcpServers' && key !== 'policy');
    if (unknown.length > 0) throw new CodemodeError('INVALID_OPTION', `${file}: unknown key "${unknown[0]}"; expected "mcpServers" and optionally "policy"`);
    return new McpToolSource({ ...options, servers: config.mcpServers as McpToolSourceOptions['servers'], ...(config.policy ? { policy: config.policy } : {}), baseDir: dirname(resolve(file)) });
  }

  constructor(options: McpToolSourceOptions) {
    if (typeof options !== 'object' || options === null) throw new CodemodeError('INVALID_OPTION', `expected McpToolSource options to be an object, got ${describeValue(options)}`);
    const servers = resolveServers(options.servers, options.baseDir);
    this.policy = resolvePolicy(options.policy, servers);
    this.redactor = new Redactor(secretsOf(servers));
    const onEvent = options.onEvent;
    if (onEvent !== undefined && typeof onEvent !== 'function') throw new CodemodeError('INVALID_OPTION', `expected \`onEvent\` to be a function, got ${describeValue(onEvent)}`);
    const connectionOptions = {
      clientName: options.clientName ?? 'codemode',
      clientVersion: '1',
      callTimeoutMs: duration('callTimeoutMs', options.callTimeoutMs, DEFAULT_CALL_TIMEOUT_MS),
      connectTimeoutMs: duration('connectTimeoutMs', options.connectTimeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
      reconnectDelayMs: duration('reconnectDelayMs', options.reconnectDelayMs, DEFAULT_RECONNECT_DELAY_MS),
      maxReconnectDelayMs: duration('maxReconnectDelayMs', options.maxReconnectDelayMs, DEFAULT_MAX_RECONNECT_DELAY_MS),
      redactor: this.redactor,
      onTools: (connection: Connection) => this.refresh(connection),
      onEvent: (connection: Connection, message: string) => this.report(connection, message),
    };
    this.onEvent = onEvent;
    this.connections = servers.map((server) => new Connection(server, connectionOptions));
  }

  /**
   * Connects the servers: resolves once every `eager` server has connected or failed its first attempt (a
   * failed one keeps retrying with backoff and joins when it connects); `lazy` ones connect in the
   * background. Safe to call more than once.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      const eager = this.connections.filter((connection) => connection.server.startup === 'eager');
      for (const connection of this.connections) if (connection.server.startup === 'lazy') void connection.connect();
      await Promise.all(eager.map((connection) => connection.connect()));
    })();
    return this.started;
  }

  /** One capability per server that has listed its tools, in config order. A server that is down keeps its last tools; calls to them fail as UpstreamUnavailable until it is back. */
  capabilities(): Capability[] {
    return this.connections.flatMap((connection) => {
      const entry = this.byServer.get(connection.name);
      return entry ? [entry.capability] : [];
    });
  }

  /** Called after any server's tool set changed (it connected, or sent list_changed). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(): ServerStatus[] {
    return this.connections.map((connection) => {
      const entry = this.byServer.get(connection.name);
      return {
        name: connection.name,
        state: connection.state,
        tools: entry?.capability.tools.length ?? 0,
        pid: connection.pid,
        error: connection.lastError,
        skipped: entry?.skipped ?? [],
      };
    });
  }

  /** Resolves the next time `server` is connected (at once when it is). */
  whenReady(server: string): Promise<void> {
    const connection = this.connections.find((candidate) => candidate.name === server);
    if (!connection) throw new CodemodeError('INVALID_OPTION', `no server is named ${describeValue(server)}`);
    return connection.whenReady();
  }

  /** Disconnects every server (stdio servers are stopped). Calls after it fail as UpstreamUnavailable. */
  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.connections.map((connection) => connection.close()));
  }

  private report(connection: Connection, message: string): void {
    try {
      this.onEvent?.({ server: connection.name, message });
    } catch {
      // A throwing log callback must not break a connection.
    }
  }

  private refresh(connection: Connection): void {
    const previous = this.byServer.get(connection.name)?.skipped ?? [];
    const next = serverCapability(connection, this.policy, this.redactor);
    this.byServer.set(connection.name, next);
    // The operator hears what was left out once per change, not on every re-list.
    if (next.skipped.length > 0 && next.skipped.join('\n') !== previous.join('\n')) {
      const shown = next.skipped.slice(0, MAX_SKIPPED_SHOWN).join('; ');
      const more = next.skipped.length - MAX_SKIPPED_SHOWN;
      this.report(connection, `left out or cut from its tool list: ${shown}${more > 0 ? `; and ${more} more (see status().skipped)` : ''}`);
    }
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // One listener's failure must not keep the others from hearing about the change.
      }
    }
  }
}

function duration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
    throw new CodemodeError('INVALID_OPTION', `expected \`${name}\` to be an integer from 1 to 2147483647 (ms), got ${describeValue(value)}`);
  }
  return value;
}
