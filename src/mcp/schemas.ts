// The input and output schemas of the `execute` and `search` tools, as the client sees them in
// `tools/list`. Kinds and levels are plain strings here, so a kind the core adds later never makes a client
// reject a result. Every word here is in the model's context on every request (the fixed surface, measured
// in `npm run bench`): fields a program reads are listed, the rest of an error is allowed, not described.
import { z } from 'zod';
import { MAX_QUERY_CHARS } from '../index.js';
import { CODE_FIELD_DESCRIPTION, RESET_FIELD_DESCRIPTION, timeoutFieldDescription } from './describe.js';

/** Most hits one `search` call may ask for. */
export const MAX_SEARCH_LIMIT = 50;

/** `workspaces`: the server keeps a workspace per session, and `execute` takes `reset`. */
export function executeInputSchema(timeoutMs: number, workspaces = false) {
  const schema = z.object({
    code: z.string().describe(CODE_FIELD_DESCRIPTION),
    // Not `.int()`: zod would state the safe-integer range, tokens that say nothing.
    timeoutMs: z.number().min(1).optional().describe(timeoutFieldDescription(timeoutMs)),
    reset: z.boolean().optional().describe(RESET_FIELD_DESCRIPTION),
  });
  return workspaces ? schema : schema.omit({ reset: true });
}

const logEntry = z.looseObject({ level: z.string(), text: z.string() });

/** Also `stack`, `line`, `column` and `frame` when known; the text result shows them. */
const runError = z.looseObject({ kind: z.string(), name: z.string(), message: z.string(), hint: z.string().optional() });

export const executeOutputSchema = z.looseObject({
  ok: z.boolean(),
  value: z.unknown().optional().describe('What the code returned; absent when too large (then preview)'),
  preview: z.string().optional(),
  logs: z.array(logEntry),
  error: runError.optional(),
});

export const searchInputSchema = z.object({
  query: z.string().max(MAX_QUERY_CHARS, `a query has at most ${MAX_QUERY_CHARS} characters: send a few words`).describe('Words about what you want to do, or a tool name. Empty: list every tool.'),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe('Default 10.'),
});
