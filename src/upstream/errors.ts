// How an upstream call fails, as the model sees it: always a catchable error of kind `host`, told apart by
// `name` so model code (and a human reading the run) knows what happened:
//   UpstreamToolError      the tool ran and answered `isError: true`; the message is the server's own text
//   UpstreamTimeout        no answer within the call's time limit
//   UpstreamUnavailable    the server is not connected (still starting, died, unreachable)
//   UpstreamUnauthorized   the server refuses the credentials the host has for it (HTTP 401 or 403)
//   UpstreamProtocolError  the server answered with a JSON-RPC error, or a result that breaks its output schema
// Every message is redacted: no credential of the source ever reaches the model.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ToolError } from '../tools/tool-error.js';
import type { Redactor } from './redact.js';

/** Longest server text carried in an error; the rest is cut with a marker. */
const MAX_MESSAGE_CHARS = 2_000;

function hostError(name: string, message: string, hint: string): ToolError {
  const cut = message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters)` : message;
  return new ToolError('host', cut, { name, hint });
}

export const upstreamError = {
  tool(server: string, tool: string, text: string): ToolError {
    return hostError('UpstreamToolError', text === '' ? `${server}.${tool} failed without saying why` : text, 'The upstream tool reported this error; check the input or handle the failure.');
  },

  unavailable(server: string, tool: string, why: string): ToolError {
    return hostError('UpstreamUnavailable', `${server}.${tool} was not called: server "${server}" is not connected (${why})`, 'The server is reconnecting; a later run may succeed. Do not retry in a loop.');
  },

  unauthorized(server: string, tool: string, status: number): ToolError {
    return hostError(
      'UpstreamUnauthorized',
      `${server}.${tool} was not called: server "${server}" refuses this host's credentials (HTTP ${status})`,
      "Retrying will not help: the host's operator must fix this server's headers in the config. Continue without it.",
    );
  },

  timeout(server: string, tool: string, timeoutMs: number): ToolError {
    return hostError('UpstreamTimeout', `${server}.${tool} did not answer within ${timeoutMs} ms`, 'Ask for less per call, or continue without this result.');
  },

  protocol(server: string, tool: string, message: string): ToolError {
    return hostError('UpstreamProtocolError', `${server}.${tool}: server "${server}" answered with an error: ${message}`, 'Check the input against the declared type; the server refused the call.');
  },

  /** Classifies what `client.callTool` threw. */
  fromCallFailure(server: string, tool: string, error: unknown, timeoutMs: number, redactor: Redactor): ToolError {
    if (error instanceof McpError) {
      if (error.code === ErrorCode.RequestTimeout) return upstreamError.timeout(server, tool, timeoutMs);
      if (error.code === ErrorCode.ConnectionClosed) return upstreamError.unavailable(server, tool, 'the connection closed during the call');
      return upstreamError.protocol(server, tool, redactor.text(error.message.replace(/^MCP error -?\d+: /, '')));
    }
    // Not a JSON-RPC answer at all: the transport failed (refused connection, reset, HTTP error status).
    const reason = error instanceof Error ? error.message : String(error);
    return upstreamError.unavailable(server, tool, redactor.text(reason));
  },
};
