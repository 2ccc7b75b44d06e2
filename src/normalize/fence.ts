// Models often wrap code in a markdown fence. Finds the code inside one fence around the whole text; the
// language tag tells TypeScript apart when the code alone does not.

export interface Unfenced {
  /** Where the code starts in the text as sent. */
  start: number;
  end: number;
  /** The fence's language tag, lower-cased (`ts`, `javascript`, ...), or '' without one. */
  language: string;
}

const FENCE = /^\s*```([\w+-]*)[^\S\n]*\n([\s\S]*?)\n?[^\S\n]*```\s*$/;

export function unfence(code: string): Unfenced {
  const match = FENCE.exec(code);
  if (!match) return { start: 0, end: code.length, language: '' };
  const start = code.indexOf('\n', code.indexOf('```')) + 1;
  return { start, end: start + match[2]!.length, language: match[1]!.toLowerCase() };
}
