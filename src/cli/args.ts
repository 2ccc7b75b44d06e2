// Command-line flags of `codemode mcp|run|types`, parsed with node:util parseArgs and then checked here so
// every mistake is one line naming the flag: unknown flags get a suggestion, values are checked by kind.
// Permission flags keep the order they were given in (the first path is where relative model paths start).
import { parseArgs } from 'node:util';
import { accepts, violation, type IntegerRule } from '../limits/rules.js';
import { PORT, RUN_LIMITS } from '../limits/table.js';
import { UsageError, didYouMean } from './usage.js';

export type Command = 'mcp' | 'run' | 'types';

/** A filesystem root as given on the command line or in a config file. */
export interface PathGrant {
  path: string;
  write: boolean;
}

export interface Flags {
  fs: PathGrant[];
  env: string[];
  net: string[];
  timeoutMs?: number;
  memoryMb?: number;
  config?: string;
  search?: boolean;
  /** `mcp` only: each MCP session keeps a workspace (variables persist between its runs). */
  stateful?: boolean;
  /** `mcp` only: serve the inspector page (needs --http and a token). */
  inspector?: boolean;
  /** `mcp` only: an mcp.json of upstream servers to front. */
  servers?: string;
  /** `mcp` only: where workflows live, a folder or a Redis URL (at most one). */
  storage?: string;
  redis?: string;
  /** `mcp` and `run`: npm packages model code may import (`--module papaparse`, repeatable). */
  modules: string[];
  http?: number;
  host?: string;
  token?: string;
  help: boolean;
  positionals: string[];
}

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

const COMMON: Spec = {
  'allow-read': { type: 'string', multiple: true },
  'allow-write': { type: 'string', multiple: true },
  'allow-env': { type: 'string', multiple: true },
  'allow-net': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  memory: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const SPECS: Record<Command, Spec> = {
  mcp: { ...COMMON, module: { type: 'string', multiple: true }, http: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' }, search: { type: 'boolean' }, stateful: { type: 'boolean' }, servers: { type: 'string' }, storage: { type: 'string' }, redis: { type: 'string' }, inspector: { type: 'boolean' } },
  run: { ...COMMON, module: { type: 'string', multiple: true } },
  types: COMMON,
};

/** The flags a command knows, as typed (`--allow-read`), for help and suggestions. */
export function flagNames(command: Command): string[] {
  return Object.keys(SPECS[command]).map((name) => `--${name}`);
}

export function parseFlags(command: Command, args: readonly string[]): Flags {
  const spec = SPECS[command];
  const { tokens } = parseArgs({ args: [...args], options: spec, strict: false, allowPositionals: true, tokens: true });
  const flags: Flags = { fs: [], env: [], net: [], modules: [], help: false, positionals: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') {
      flags.positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const known = spec[token.name];
    if (known === undefined) {
      const owner = (Object.keys(SPECS) as Command[]).find((other) => SPECS[other][token.name] !== undefined);
      if (owner) throw new UsageError(`${token.rawName} is a flag of codemode ${owner}, not of ${command}`);
      throw new UsageError(`unknown flag ${token.rawName}${didYouMean(token.rawName, flagNames(command))}`);
    }
    if (known.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, got ${JSON.stringify(token.value)}`);
      if (token.name === 'help') flags.help = true;
      else if (token.name === 'stateful') flags.stateful = true;
      else if (token.name === 'inspector') flags.inspector = true;
      else flags.search = true;
      continue;
    }
    // parseArgs takes the next argument as the value even when it is another flag; refuse that, so
    // `--allow-read --timeout 5` does not allow reading a directory named "--timeout".
    const value = token.value;
    if (value === undefined || value === '' || (!token.inlineValue && value.startsWith('-') && value !== '-')) {
      throw new UsageError(`${token.rawName} needs a value${valueHint(token.name)}`);
    }
    apply(flags, token.name, token.rawName, value);
  }
  return flags;
}

function apply(flags: Flags, name: string, rawName: string, value: string): void {
  switch (name) {
    case 'allow-read':
    case 'allow-write':
      for (const path of list(value)) flags.fs.push({ path, write: name === 'allow-write' });
      return;
    case 'allow-env':
      flags.env.push(...list(value));
      return;
    case 'allow-net':
      flags.net.push(...list(value));
      return;
    case 'module':
      flags.modules.push(...list(value));
      return;
    case 'timeout':
      flags.timeoutMs = integer(rawName, value, RUN_LIMITS.timeoutMs);
      return;
    case 'memory':
      flags.memoryMb = integer(rawName, value, RUN_LIMITS.memoryLimitMb);
      return;
    case 'http':
      flags.http = integer(rawName, value, PORT);
      return;
    case 'config':
    case 'host':
    case 'token':
    case 'servers':
    case 'storage':
    case 'redis':
      flags[name] = value;
      return;
  }
}

/** Repeated or comma-separated values: `--allow-env HOME,APP_*`. */
function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A number flag, checked against the same rule as the option it sets; the message shows the text as typed. */
function integer(flag: string, text: string, rule: IntegerRule): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!accepts(rule, value)) throw new UsageError(violation(flag, rule, text));
  return value;
}

function valueHint(name: string): string {
  const hints: Record<string, string> = {
    'allow-read': ' (a path)',
    'allow-write': ' (a path)',
    'allow-env': ' (a variable name, or a PREFIX_*)',
    'allow-net': ' (a host, host:port or http://host:port)',
    timeout: ' (milliseconds)',
    memory: ' (megabytes)',
    config: ' (a JSON file)',
    http: ' (a port)',
    host: ' (an address to bind)',
    token: ' (a bearer token)',
    servers: ' (an mcp.json file)',
    module: ' (an npm package installed here)',
  };
  return hints[name] ?? '';
}
