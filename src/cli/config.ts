// `--config FILE`: the command-line settings as JSON, so an MCP client's launch line stays short.
//
//   { "allowRead": ["./data"], "allowWrite": ["./out"], "allowEnv": ["HOME", "APP_*"],
//     "allowNet": ["api.example.com"], "timeout": 10000, "memory": 128, "search": true,
//     "http": 8080, "host": "127.0.0.1", "modules": ["papaparse"] }
//
// Every key is optional; unknown keys are refused with a suggestion. Relative paths start at the config
// file's directory, not at the working directory (an MCP client may start the server anywhere); modules are
// looked up from there too. The token
// is never read from a file: files get committed; use CODEMODE_TOKEN or --token.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { FLAG, TEXT, TEXT_LIST, violation } from '../limits/rules.js';
import { PORT, RUN_LIMITS } from '../limits/table.js';
import { zodOf } from '../limits/zod.js';
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
  /** npm packages model code may import, found from `moduleRoot` (the config file's directory). */
  modules?: string[];
  moduleRoot?: string;
}

/** Each key of the config file and the rule its value follows: the same rows the flags and the Executor use. */
const FIELDS = {
  allowRead: TEXT_LIST,
  allowWrite: TEXT_LIST,
  allowEnv: TEXT_LIST,
  allowNet: TEXT_LIST,
  timeout: RUN_LIMITS.timeoutMs,
  memory: RUN_LIMITS.memoryLimitMb,
  search: FLAG,
  http: PORT,
  host: TEXT,
  modules: TEXT_LIST,
};

/** The config file's schema; `z.toJSONSchema(configSchema)` documents it for editors. */
export const configSchema = z.strictObject({
  allowRead: zodOf(FIELDS.allowRead).optional(),
  allowWrite: zodOf(FIELDS.allowWrite).optional(),
  allowEnv: zodOf(FIELDS.allowEnv).optional(),
  allowNet: zodOf(FIELDS.allowNet).optional(),
  timeout: zodOf(FIELDS.timeout).optional(),
  memory: zodOf(FIELDS.memory).optional(),
  search: zodOf(FIELDS.search).optional(),
  http: zodOf(FIELDS.http).optional(),
  host: zodOf(FIELDS.host).optional(),
  modules: zodOf(FIELDS.modules).optional(),
});

const KEYS = Object.keys(FIELDS);

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
  if (Object.hasOwn(raw, 'token')) throw new UsageError(`${where}: "token" is not read from files; use CODEMODE_TOKEN or --token`);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`${where}: ${problem(parsed.error.issues[0]!, raw as Record<string, unknown>)}`);
  const data = parsed.data;
  const base = dirname(resolve(file));
  const paths = (list: string[] | undefined) => (list ?? []).map((path) => resolve(base, path));
  return {
    fs: [...paths(data.allowRead).map((path) => ({ path, write: false })), ...paths(data.allowWrite).map((path) => ({ path, write: true }))],
    env: data.allowEnv ?? [],
    net: data.allowNet ?? [],
    ...(data.modules === undefined ? {} : { modules: data.modules, moduleRoot: base }),
    ...(data.timeout === undefined ? {} : { timeoutMs: data.timeout }),
    ...(data.memory === undefined ? {} : { memoryMb: data.memory }),
    ...(data.search === undefined ? {} : { search: data.search }),
    ...(data.http === undefined ? {} : { http: data.http }),
    ...(data.host === undefined ? {} : { host: data.host }),
  };
}

/** The first thing wrong with the file, in the words every option check uses. */
function problem(issue: z.core.$ZodIssue, data: Record<string, unknown>): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return `unknown key "${key}"${didYouMean(key, KEYS)}`;
  }
  const key = String(issue.path[0]) as keyof typeof FIELDS;
  return violation(key, FIELDS[key], data[key]);
}
