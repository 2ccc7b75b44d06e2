// `--help` text of each command. Kept beside the flag table in README.md ("MCP server and CLI"); the CLI
// tests check that every flag parseArgs knows appears here.
import type { Command } from './args.js';

const PERMISSIONS = `Permissions (none unless given; repeat a flag or separate values with commas):
  --allow-read PATH        read files under PATH (the first path is where relative paths start)
  --allow-write PATH       read and write files under PATH
  --allow-env KEY          read environment variable KEY; PREFIX_* for every KEY with that prefix
  --allow-net HOST[:PORT]  HTTP requests to HOST (https); *.HOST for subdomains; http://HOST:PORT for plain http

Limits and settings:
  --timeout MS             wall-clock limit per run (default 30000)
  --memory MB              heap limit per run (default 128)
  --config FILE            JSON file with the same settings, e.g. {"allowRead": ["./data"], "timeout": 10000}
  -h, --help               show this help`;

const TEXT: Record<Command | 'doctor' | 'main', string> = {
  main: `codemode: let a language model run JavaScript that calls your tools, in a sandbox.

Usage:
  codemode mcp [flags]            serve the execute tool over MCP (stdio, or --http PORT)
  codemode run FILE|- [flags]     run a script; its value goes to stdout as JSON, its console to stderr
  codemode types [flags]          print the TypeScript declarations the model sees
  codemode artifacts list|get NAME|rm NAME   the saved artifacts (--storage DIR or --redis URL)
  codemode workflows list|show NAME|add FILE|rm NAME  the saved workflows
  codemode doctor                 check that code can run here; print what a bug report needs

Run codemode <command> --help for the flags of a command.`,

  mcp: `Usage: codemode mcp [flags]

Serves the MCP tools execute (run JavaScript against codemode.*) and, with --search, search, over stdio,
or over streamable HTTP at http://HOST:PORT/mcp with --http.

${PERMISSIONS}

Server:
  --storage DIR            keep workflows in DIR (default .codemode/ in the working directory,
                           made on the first save)
  --redis URL              keep workflows in Redis instead: servers pointed at one Redis share them
  --http PORT              serve streamable HTTP on PORT instead of stdio (0: any free port)
  --host ADDRESS           address to bind with --http (default 127.0.0.1)
  --token TOKEN            with --http, require Authorization: Bearer TOKEN (or set CODEMODE_TOKEN)
  --search                 also offer the search tool (names only in execute's description when the API is long)
  --stateful               each MCP session keeps its variables between runs (a workspace); execute takes reset
  --inspector              with --http and --token, serve a page at /inspector to watch runs and approve calls
  --servers FILE           front the MCP servers of FILE ({"mcpServers": {...}}) as codemode.<server>.<tool>; implies --search
  --module NAME            let model code import the npm package NAME, installed in the working directory's
                           project (or the config file's); repeatable

Example:
  codemode mcp --allow-read ./data --allow-net api.example.com`,

  run: `Usage: codemode run FILE|- [flags]

Runs the script in FILE (or stdin with -) the way the execute tool would: console output goes to stderr as
it happens, the returned value to stdout as JSON. Exit code 0 when it completes, 1 when it fails (the error
on stderr), 2 for a usage mistake.

${PERMISSIONS}

Modules:
  --module NAME            let the code import the npm package NAME, installed in the working directory's
                           project (or the config file's); repeatable

Example:
  echo 'return (await codemode.fs.readDir({ path: "." })).entries.length' | codemode run - --allow-read .`,

  types: `Usage: codemode types [flags]

Prints the TypeScript declarations of codemode.* that the model sees for these flags.

${PERMISSIONS}

Example:
  codemode types --allow-read ./data --allow-env HOME`,

  doctor: `Usage: codemode doctor

Prints the Node and isolated-vm in use, how sandbox processes are locked down (the permission flag and every
path they may read), then starts a sandbox process and runs one line of code in it. Exit code 0 when that
works, 1 when it does not (with the cause). Attach its output to a bug report.`,
};

export function helpText(command: Command | 'doctor' | 'main'): string {
  return `${TEXT[command]}\n`;
}
