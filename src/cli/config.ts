// `--config FILE`: the command-line settings as JSON, so an MCP client's launch line stays short.
//
//   { "allowRead": ["./data"], "allowWrite": ["./out"], "allowEnv": ["HOME", "APP_*"],
//     "allowNet": ["api.example.com"], "timeout": 10000, "memory": 128, "search": true,
//     "http": 8080, "host": "127.0.0.1" }
//
// Every key is optional; unknown keys are refused with a suggestion. Relative paths start at the config
// file's directory, not at the working directory (an MCP client may start the server anywhere). The token
// is never read from a file: files get committed; use CODEMODE_TOKEN or --token.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PathGrant } from './args.js';
import { UsageError, didYouMean } from './usage.js';

export interface ConfigFile {
  fs: PathGrant[];
  env: string[];
  net: string[];
  timeoutMs?: number;
  memoryMb?: number;
  search?: boolean;
  http?: number;
  host?: string;
}

const KEYS = ['allowRead', 'allowWrite', 'allowEnv', 'allowNet', 'timeout', 'memory', 'search', 'http', 'host'];

export function loadConfig(file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`cannot read config ${file}: ${reason}`);
  }
  const where = `config ${file}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsageError(`${where}: expected a JSON object`);
  const data = raw as Record<string, unknown>;
  for (const key of Object.keys(data)) {
    if (key === 'token') throw new UsageError(`${where}: "token" is not read from files; use CODEMODE_TOKEN or --token`);
    if (!KEYS.includes(key)) throw new UsageError(`${where}: unknown key "${key}"${didYouMean(key, KEYS)}`);
  }
  const base = dirname(resolve(file));
  const paths = (key: string) => strings(where, key, data[key]).map((path) => resolve(base, path));
  return {
    fs: [...paths('allowRead').map((path) => ({ path, write: false })), ...paths('allowWrite').map((path) => ({ path, write: true }))],
    env: strings(where, 'allowEnv', data.allowEnv),
    net: strings(where, 'allowNet', data.allowNet),
    ...optional('timeoutMs', integer(where, 'timeout', data.timeout, 1, 2_147_483_647)),
    ...optional('memoryMb', integer(where, 'memory', data.memory, 8, 16_384)),
    ...optional('search', boolean(where, 'search', data.search)),
    ...optional('http', integer(where, 'http', data.http, 0, 65_535)),
    ...optional('host', text(where, 'host', data.host)),
  };
}

function strings(where: string, key: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new UsageError(`${where}: expected "${key}" to be an array of non-empty strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

function integer(where: string, key: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`${where}: expected "${key}" to be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function boolean(where: string, key: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new UsageError(`${where}: expected "${key}" to be true or false, got ${JSON.stringify(value)}`);
}

function text(where: string, key: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new UsageError(`${where}: expected "${key}" to be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
