// `codemode mcp`: the MCP server over stdio (what desktop clients launch) or streamable HTTP. On stdio,
// stdout belongs to the protocol: everything for a human goes to stderr. The MCP SDK is loaded only here,
// so `run` and `types` start without it.
import type { CodeModeServer } from '../mcp/server.js';
import { CodemodeError } from '../errors.js';
import type { Flags } from './args.js';
import { capabilitiesOf, limitsOf, modulesOf, resolveSettings, type Settings } from './settings.js';
import { openStorage } from './storage.js';
import { EXIT_OK, EXIT_RUN_FAILED, UsageError } from './usage.js';

export async function mcpCommand(flags: Flags): Promise<number> {
  if (flags.positionals.length > 0) throw new UsageError(`mcp takes no arguments, got ${flags.positionals.join(' ')}`);
  const settings = resolveSettings(flags);
  const capabilities = capabilitiesOf(settings);
  const storage = openStorage(flags.storage, flags.redis);
  const { CodeModeServer, McpToolSource } = await import('../mcp/index.js');
  const source = flags.servers === undefined ? undefined : upstream(McpToolSource, flags.servers);
  await source?.start();
  const server = new CodeModeServer({
    capabilities,
    ...limitsOf(settings),
    ...modulesOf(settings),
    // The API of several servers is too long to send whole on every request: search carries it.
    enableSearch: settings.search || source !== undefined,
    workspaces: flags.stateful === true,
    ...(source ? { sources: [source] } : {}),
    ...(settings.inspector ? { inspector: true } : {}),
    storage,
  });

  // Ends on SIGINT, SIGTERM, or (stdio) when the client closes our stdin; then everything is closed.
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (settings.http === undefined) {
      process.stdin.once('end', stop);
      // The client's handshake goes on while the first sandbox process starts; ready means both are done.
      await server.serveStdio();
      if (await warmedBeforeStop(server, stopped)) process.stderr.write(`codemode: MCP server on stdio; ${granted(settings)}\n`);
    } else {
      const host = settings.host ?? '127.0.0.1';
      const http = await server.serveHttp({ port: settings.http, host, ...(settings.token ? { token: settings.token } : {}) }).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${host}:${settings.http} (${error.code ?? error.message})`, EXIT_RUN_FAILED);
      });
      if (!(await warmedBeforeStop(server, stopped))) return EXIT_OK;
      if (!http.loopback && settings.token === undefined) {
        process.stderr.write(`codemode: warning: ${host} is reachable from the network and no --token is set: anyone who reaches it can run code with these permissions\n`);
      }
      process.stderr.write(`codemode: MCP server at ${http.url}${settings.token ? ' (bearer token required)' : ''}; ${granted(settings)}\n`);
      if (settings.inspector) process.stderr.write(`codemode: inspector at ${http.url.replace(/\/mcp$/, '/inspector')} (log in with the token)\n`);
    }
    await stopped;
    return EXIT_OK;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await server.close();
    await source?.close();
    await storage.close();
  }
}

/** The upstream servers of `file`; a bad file is a usage mistake, said in one line. */
function upstream(McpToolSource: typeof import('../mcp/index.js').McpToolSource, file: string) {
  try {
    return McpToolSource.fromFile(file, { onEvent: ({ server, message }) => process.stderr.write(`codemode: upstream ${server}: ${message}\n`) });
  } catch (error) {
    if (error instanceof CodemodeError) throw new UsageError(`--servers ${error.message}`);
    throw error;
  }
}

/**
 * Waits for a sandbox process to be ready (a start failure throws, with its cause); false when the server
 * was told to stop first, e.g. a client that closed stdin at once.
 */
async function warmedBeforeStop(server: CodeModeServer, stopped: Promise<void>): Promise<boolean> {
  const warm = server.warmup().then(() => true);
  warm.catch(() => {}); // Closing the server during warmup rejects it; that is a stop, not a failure.
  return Promise.race([warm, stopped.then(() => false)]);
}

/** One line saying what model code may touch, so a wrong launch line is visible in the client's log. */
function granted(settings: Settings): string {
  const parts = [
    ...settings.fs.map(({ path, write }) => `${write ? 'write' : 'read'} ${path}`),
    ...settings.env.map((key) => `env ${key}`),
    ...settings.net.map((host) => `net ${host}`),
    ...settings.modules.map((name) => `module ${name}`),
  ];
  return parts.length === 0 ? 'no permissions granted' : `granted: ${parts.join(', ')}`;
}
