// The settings of one command: the config file (if any) first, then the flags on top (lists add up, single
// values replace), then the capabilities they grant. No flag and no config: no capability at all.
import { EnvCapability, FsCapability, HttpCapability } from '../../capabilities/index.js';
import { CodemodeError, type Capability } from '../index.js';
import { checkModuleName } from '../modules/package.js';
import type { Flags, PathGrant } from './args.js';
import { loadConfig } from './config.js';
import { UsageError } from './usage.js';

export interface Settings {
  fs: PathGrant[];
  env: string[];
  net: string[];
  timeoutMs?: number;
  memoryMb?: number;
  search: boolean;
  /** Serve the inspector page at /inspector (with --http and a token). */
  inspector: boolean;
  http?: number;
  host?: string;
  token?: string;
  /** npm packages model code may import: the config file's, then the flags'. */
  modules: string[];
  /** Where modules are found: the config file's directory when there is one, else the working directory. */
  moduleRoot: string;
}

export function resolveSettings(flags: Flags, environment: NodeJS.ProcessEnv = process.env): Settings {
  const config = flags.config === undefined ? undefined : loadConfig(flags.config);
  const settings: Settings = {
    fs: mergeGrants([...(config?.fs ?? []), ...flags.fs]),
    env: [...new Set([...(config?.env ?? []), ...flags.env])],
    net: [...new Set([...(config?.net ?? []), ...flags.net])],
    search: flags.search ?? config?.search ?? false,
    inspector: flags.inspector ?? false,
    modules: [...new Set([...(config?.modules ?? []), ...flags.modules])].map((name) => moduleName(name)),
    moduleRoot: config?.moduleRoot ?? process.cwd(),
  };
  const timeoutMs = flags.timeoutMs ?? config?.timeoutMs;
  const memoryMb = flags.memoryMb ?? config?.memoryMb;
  const http = flags.http ?? config?.http;
  const host = flags.host ?? config?.host;
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  if (memoryMb !== undefined) settings.memoryMb = memoryMb;
  if (http !== undefined) settings.http = http;
  if (host !== undefined) settings.host = host;
  const token = flags.token ?? environment.CODEMODE_TOKEN;
  // Fail closed: a token variable that is set but empty was meant to protect something.
  if (token === '') throw new UsageError('CODEMODE_TOKEN is set but empty; set a token or unset it');
  if (token !== undefined) settings.token = token;
  if (http === undefined && flags.host !== undefined) throw new UsageError('--host needs --http PORT (stdio has no address)');
  if (http === undefined && flags.token !== undefined) throw new UsageError('--token needs --http PORT (stdio has no authentication)');
  if (settings.inspector && http === undefined) throw new UsageError('--inspector needs --http PORT (the page is served over HTTP)');
  // The page can approve calls: it is never open to whoever reaches the port.
  if (settings.inspector && token === undefined) throw new UsageError('--inspector needs --token TOKEN (or CODEMODE_TOKEN): the page logs you in with it');
  return settings;
}

/** The capabilities the settings grant; a bad path, key or host is the caller's mistake, said in one line. */
export function capabilitiesOf(settings: Settings): Capability[] {
  const capabilities: Capability[] = [];
  try {
    if (settings.fs.length > 0) {
      capabilities.push(new FsCapability({ allowedPaths: settings.fs.map(({ path, write }) => (write ? { path, write } : path)) }));
    }
    if (settings.env.length > 0) capabilities.push(new EnvCapability({ allowedKeys: settings.env }));
    if (settings.net.length > 0) capabilities.push(new HttpCapability({ allowedHosts: settings.net }));
  } catch (error) {
    if (error instanceof CodemodeError) throw new UsageError(flagLanguage(error.message));
    throw error;
  }
  return capabilities;
}

/** Executor limits from the settings; unset ones keep the executor's defaults. */
export function limitsOf(settings: Settings): { timeoutMs?: number; memoryLimitMb?: number } {
  return {
    ...(settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }),
    ...(settings.memoryMb === undefined ? {} : { memoryLimitMb: settings.memoryMb }),
  };
}

/** A module name as the Executor accepts it; anything else is a usage mistake naming the flag. */
function moduleName(name: string): string {
  try {
    return checkModuleName(name, '--module');
  } catch (error) {
    if (error instanceof CodemodeError) throw new UsageError(error.message);
    throw error;
  }
}

/** The Executor's module options from the settings: none without a module. */
export function modulesOf(settings: Settings): { modules?: string[]; moduleRoot?: string } {
  return settings.modules.length === 0 ? {} : { modules: settings.modules, moduleRoot: settings.moduleRoot };
}

/** One entry per path, in first-seen order; a path granted both ways is writable. */
function mergeGrants(grants: readonly PathGrant[]): PathGrant[] {
  const byPath = new Map<string, PathGrant>();
  for (const grant of grants) {
    const seen = byPath.get(grant.path);
    if (seen) seen.write ||= grant.write;
    else byPath.set(grant.path, { ...grant });
  }
  return [...byPath.values()];
}

/** Capability messages speak of options; at the terminal the user wrote flags. */
function flagLanguage(message: string): string {
  return message
    .replace(/^FsCapability: expected `allowedPaths\[\d+\](\.write)?`/, '--allow-read/--allow-write: expected a path')
    .replace(/^EnvCapability: expected `allowedKeys\[\d+\]`/, '--allow-env: expected a key')
    .replace(/^HttpCapability: expected `allowedHosts\[\d+\]`/, '--allow-net: expected a host');
}
