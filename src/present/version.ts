// This package's version, read from its package.json: the MCP handshake and `codemode --version` say it.
// Shared by the MCP server and the CLI. From dist/src/present/version.js the package root is three levels
// up, installed or not.
import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  try {
    const json = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof json.version === 'string' ? json.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
