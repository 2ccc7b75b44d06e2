// Asks V8 itself whether a script parses, and where it stops: compiling runs nothing. Used only once the
// TypeScript parser has found an error in JavaScript code, so that the model reads V8's own words at a
// position in its own code. Runs where normalization runs (a worker, with a deadline), never on the host's
// main thread.
import { Script } from 'node:vm';
import type { Position } from './edits.js';

export interface V8SyntaxError {
  message: string;
  /** In the compiled script; from Node's report of the error (`code.js:LINE`, the line, a caret). */
  position?: Position;
}

export function v8SyntaxError(script: string): V8SyntaxError | undefined {
  try {
    new Script(script, { filename: 'code.js' });
    return undefined;
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'SyntaxError') return { message: error instanceof Error ? error.message : String(error) };
    const [where, , caret] = (error.stack ?? '').split('\n');
    const line = /^code\.js:(\d+)$/.exec(where ?? '')?.[1];
    const column = /^( *)\^/.exec(caret ?? '')?.[1]?.length;
    return { message: error.message, ...(line ? { position: { line: Number(line), column: (column ?? 0) + 1 } } : {}) };
  }
}
