// The input and output schemas of the `execute` and `search` tools, as the client sees them in
// `tools/list`. Kinds and levels are plain strings here, described rather than enumerated, so a kind the
// core adds later never makes a client reject a result.
import { z } from 'zod';
import { MAX_QUERY_CHARS } from '../index.js';
import { CODE_FIELD_DESCRIPTION, timeoutFieldDescription } from './describe.js';

/** Most hits one `search` call may ask for. */
export const MAX_SEARCH_LIMIT = 50;

export function executeInputSchema(timeoutMs: number) {
  return z.object({
    code: z.string().describe(CODE_FIELD_DESCRIPTION),
    timeoutMs: z.number().int().positive().optional().describe(timeoutFieldDescription(timeoutMs)),
  });
}

const logEntry = z.object({
  level: z.string().describe('log, info, warn, error or debug'),
  text: z.string(),
});

const runError = z.object({
  kind: z.string().describe('syntax, runtime, timeout, memory, cancelled, crashed, denied, host, invalid_input or output_limit'),
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  frame: z.string().optional(),
  hint: z.string().optional(),
});

export const executeOutputSchema = z.object({
  ok: z.boolean(),
  value: z.unknown().optional().describe('What the code returned, as JSON; absent when it returned nothing or the value was cut'),
  truncated: z.boolean().optional().describe('The value was too large: preview holds the start of its JSON'),
  preview: z.string().optional(),
  logs: z.array(logEntry),
  logsTruncated: z.boolean().optional(),
  error: runError.optional(),
});

export const searchInputSchema = z.object({
  query: z.string().max(MAX_QUERY_CHARS, `a query has at most ${MAX_QUERY_CHARS} characters: send a few words`).describe('Words about what you want to do, or a tool name. Empty: list every tool.'),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe('Most tools returned; default 10.'),
});

export const searchOutputSchema = z.object({
  tools: z.array(z.object({ name: z.string(), description: z.string(), declaration: z.string() })),
  /** Matches left out to keep the result within its size budget. */
  omitted: z.number().optional(),
});
