// The upstream servers a McpToolSource connects to, in the `mcpServers` JSON format MCP clients already use
// (stdio: `command`, `args`, `env`, `cwd`; streamable HTTP: `url`, `headers`), plus codemode's own keys:
// `startup` per server and one `policy` map (`"github": "ask"`, `"github.delete_repo": "deny"`, `"x.y": "hide"`).
// Checked once, up front: a mistake throws CodemodeError naming the server and the key, never later in a run.
import { isAbsolute, resolve } from 'node:path';
import { closest } from '../closest.js';
import { CodemodeError, describeValue } from '../errors.js';

/** What a server or tool may be set to: an approval, or `hide` to keep it out of `codemode` entirely. */
export type UpstreamPolicy = 'auto' | 'ask' | 'deny' | 'hide';

/** When a server is started: with the source (`start()` waits for it), or in the background after it. */
export type Startup = 'eager' | 'lazy';

interface CommonServerConfig {
  /** Default `'eager'`. */
  readonly startup?: Startup;
  /** Longest wait for one tool call, in ms. Default the source's `callTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Skipped when true (as some MCP clients' configs have it). */
  readonly disabled?: boolean;
}

export interface StdioServerConfig extends CommonServerConfig {
  readonly type?: 'stdio';
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to a minimal environment (PATH, HOME, ...). Secrets here never appear in declarations, results or errors. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

export interface HttpServerConfig extends CommonServerConfig {
  readonly type?: 'http' | 'streamable-http' | 'streamableHttp';
  readonly url: string;
  /** Sent with every request. Secrets here never appear in declarations, results or errors. */
  readonly headers?: Readonly<Record<string, string>>;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

/** The `mcpServers` map and the policy map, as an mcp.json file holds them. */
export interface McpServersConfig {
  readonly mcpServers: Readonly<Record<string, ServerConfig>>;
  /** `"server"` or `"server.tool"` → policy. A tool's entry wins over its server's, which wins over the tool's hints. */
  readonly policy?: Readonly<Record<string, UpstreamPolicy>>;
}

/** One server, checked and with paths resolved. */
export type ResolvedServer =
  | { readonly name: string; readonly transport: 'stdio'; readonly command: string; readonly args: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly cwd: string | undefined; readonly startup: Startup; readonly timeoutMs: number | undefined }
  | { readonly name: string; readonly transport: 'http'; readonly url: URL; readonly headers: Readonly<Record<string, string>>; readonly startup: Startup; readonly timeoutMs: number | undefined };

const STDIO_KEYS = ['type', 'command', 'args', 'env', 'cwd', 'startup', 'timeoutMs', 'disabled'];
const HTTP_KEYS = ['type', 'url', 'headers', 'startup', 'timeoutMs', 'disabled'];
const POLICIES: readonly UpstreamPolicy[] = ['auto', 'ask', 'deny', 'hide'];
const MAX_NAME_LENGTH = 64;
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The enabled servers of `config`, checked. `baseDir` is where a relative `cwd` starts (the config file's
 * directory). Throws CodemodeError (`INVALID_OPTION`) with the server, the key and the bad value.
 */
export function resolveServers(servers: unknown, baseDir: string = process.cwd()): ResolvedServer[] {
  if (!isRecord(servers)) throw invalid(`expected \`mcpServers\` to be an object of servers by name, got ${describeValue(servers)}`);
  const resolved: ResolvedServer[] = [];
  for (const [name, raw] of Object.entries(servers)) {
    if (!/^[A-Za-z_$][\w$-]*$/.test(name) || name.length > MAX_NAME_LENGTH) {
      throw invalid(`server name ${describeValue(name)}: expected letters, digits, "_", "-" or "$" (not starting with a digit), at most ${MAX_NAME_LENGTH} characters`);
    }
    const where = `server "${name}"`;
    if (!isRecord(raw)) throw invalid(`${where}: expected an object with \`command\` or \`url\`, got ${describeValue(raw)}`);
    if (raw.disabled === true) continue;
    const http = raw.url !== undefined;
    if (http === (raw.command !== undefined)) throw invalid(`${where}: expected either \`command\` (stdio) or \`url\` (streamable HTTP), got ${http ? 'both' : 'neither'}`);
    const keys = http ? HTTP_KEYS : STDIO_KEYS;
    for (const key of Object.keys(raw)) {
      if (keys.includes(key)) continue;
      const other = (http ? STDIO_KEYS : HTTP_KEYS).includes(key) ? ` (a key of ${http ? 'stdio' : 'HTTP'} servers)` : '';
      const guess = closest(key, keys);
      throw invalid(`${where}: unknown key "${key}"${other}${guess && !other ? ` (did you mean "${guess}"?)` : ''}`);
    }
    const common = {
      name,
      startup: oneOf(where, 'startup', raw.startup, ['eager', 'lazy'] as const) ?? 'eager',
      timeoutMs: positiveInteger(where, 'timeoutMs', raw.timeoutMs),
    };
    if (raw.disabled !== undefined && typeof raw.disabled !== 'boolean') throw invalid(`${where}: expected \`disabled\` to be a boolean, got ${describeValue(raw.disabled)}`);
    if (http) {
      oneOf(where, 'type', raw.type, ['http', 'streamable-http', 'streamableHttp'] as const);
      resolved.push({ ...common, transport: 'http', url: httpUrl(where, raw.url), headers: stringMap(where, 'headers', raw.headers) });
    } else {
      oneOf(where, 'type', raw.type, ['stdio'] as const);
      const command = raw.command;
      if (typeof command !== 'string' || command === '') throw invalid(`${where}: expected \`command\` to be a non-empty string, got ${describeValue(command)}`);
      const args = raw.args ?? [];
      if (!Array.isArray(args) || args.some((arg) => typeof arg !== 'string')) throw invalid(`${where}: expected \`args\` to be an array of strings, got ${describeValue(args)}`);
      const cwd = raw.cwd;
      if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) throw invalid(`${where}: expected \`cwd\` to be a non-empty string, got ${describeValue(cwd)}`);
      resolved.push({ ...common, transport: 'stdio', command, args: [...(args as string[])], env: stringMap(where, 'env', raw.env), cwd: cwd === undefined ? undefined : isAbsolute(cwd) ? cwd : resolve(baseDir, cwd) });
    }
  }
  return resolved;
}

/** The policy map, checked: keys are `server` or `server.tool`, values an UpstreamPolicy. */
export function resolvePolicy(policy: unknown, servers: readonly ResolvedServer[]): ReadonlyMap<string, UpstreamPolicy> {
  if (policy === undefined) return new Map();
  if (!isRecord(policy)) throw invalid(`expected \`policy\` to be an object like { "server.tool": "deny" }, got ${describeValue(policy)}`);
  const names = servers.map((server) => server.name);
  const resolved = new Map<string, UpstreamPolicy>();
  for (const [key, value] of Object.entries(policy)) {
    if (!POLICIES.includes(value as UpstreamPolicy)) throw invalid(`policy "${key}": expected one of ${POLICIES.map((p) => `"${p}"`).join(', ')}, got ${describeValue(value)}`);
    const server = key.split('.')[0]!;
    if (!names.includes(server)) {
      const guess = closest(server, names);
      throw invalid(`policy "${key}": no server is named "${server}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    resolved.set(key, value as UpstreamPolicy);
  }
  return resolved;
}

/** The values of `env` and `headers`: what must never reach the model. */
export function secretsOf(servers: readonly ResolvedServer[]): string[] {
  return servers.flatMap((server) => Object.values(server.transport === 'stdio' ? server.env : server.headers));
}

function httpUrl(where: string, value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid(`${where}: expected \`url\` to be an http:// or https:// URL, got ${describeValue(value)}`);
  }
  // Credentials belong in `headers`, where they are kept out of messages; a URL is shown in errors.
  if (url.username !== '' || url.password !== '') throw invalid(`${where}: put credentials in \`headers\`, not in \`url\``);
  return url;
}

function stringMap(where: string, key: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw invalid(`${where}: expected \`${key}\` to be an object of strings`);
  }
  return { ...(value as Record<string, string>) };
}

function oneOf<T extends string>(where: string, key: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw invalid(`${where}: expected \`${key}\` to be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${describeValue(value)}`);
  return value as T;
}

function positiveInteger(where: string, key: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw invalid(`${where}: expected \`${key}\` to be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${describeValue(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): CodemodeError {
  return new CodemodeError('INVALID_OPTION', message);
}
