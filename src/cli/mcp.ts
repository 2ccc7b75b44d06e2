// `codemode mcp`: the MCP server over stdio (what desktop clients launch) or streamable HTTP. On stdio,
// stdout belongs to the protocol: everything for a human goes to stderr. The MCP SDK is loaded only here,
// so `run` and `types` start without it.
import type { Flags } from './args.js';
import { capabilitiesOf, limitsOf, resolveSettings, type Settings } from './settings.js';
import { EXIT_OK, EXIT_RUN_FAILED, UsageError } from './usage.js';

export async function mcpCommand(flags: Flags): Promise<number> {
  if (flags.positionals.length > 0) throw new UsageError(`mcp takes no arguments, got ${flags.positionals.join(' ')}`);
  const settings = resolveSettings(flags);
  const capabilities = capabilitiesOf(settings);
  const { CodeModeServer } = await import('../mcp/index.js');
  const server = new CodeModeServer({ capabilities, ...limitsOf(settings), enableSearch: settings.search });

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
      await server.warmup();
      process.stderr.write(`codemode: MCP server on stdio; ${granted(settings)}\n`);
    } else {
      const host = settings.host ?? '127.0.0.1';
      const http = await server.serveHttp({ port: settings.http, host, ...(settings.token ? { token: settings.token } : {}) }).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${host}:${settings.http} (${error.code ?? error.message})`, EXIT_RUN_FAILED);
      });
      await server.warmup();
      if (!http.loopback && settings.token === undefined) {
        process.stderr.write(`codemode: warning: ${host} is reachable from the network and no --token is set: anyone who reaches it can run code with these permissions\n`);
      }
      process.stderr.write(`codemode: MCP server at ${http.url}${settings.token ? ' (bearer token required)' : ''}; ${granted(settings)}\n`);
    }
    await stopped;
    return EXIT_OK;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await server.close();
  }
}

/** One line saying what model code may touch, so a wrong launch line is visible in the client's log. */
function granted(settings: Settings): string {
  const parts = [
    ...settings.fs.map(({ path, write }) => `${write ? 'write' : 'read'} ${path}`),
    ...settings.env.map((key) => `env ${key}`),
    ...settings.net.map((host) => `net ${host}`),
  ];
  return parts.length === 0 ? 'no permissions granted (codemode has no tools)' : `granted: ${parts.join(', ')}`;
}
