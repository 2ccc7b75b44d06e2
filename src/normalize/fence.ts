// Models often wrap code in a markdown fence, alone or with prose around it ("Here is the code: ```js … ```
// This reads the file."). Finds the fenced blocks in one pass over the lines (no backtracking regex: the
// text is the model's and may be large); the language tag tells TypeScript apart when the code alone does not.

export interface Fenced {
  /** Where the code starts in the text as sent. */
  start: number;
  end: number;
  /** The fence's language tag, lower-cased (`ts`, `javascript`, ...), or '' without one. */
  language: string;
}

const OPENING = /^[^\S\n]*```([\w+-]*)[^\S\n]*$/;
const CLOSING = /^[^\S\n]*```[^\S\n]*$/;

/** The closed fenced blocks of `text`, in order. An opening fence without a closing one is not a block. */
export function fencedBlocks(text: string): Fenced[] {
  const blocks: Fenced[] = [];
  let open: { start: number; language: string } | undefined;
  const contentEnd = text.trimEnd().length;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd);
    if (open) {
      const closing = CLOSING.test(line) ? lineStart : closingAtEnd(line, lineStart, lineEnd, contentEnd);
      if (closing !== undefined) {
        // The newline before the closing fence belongs to the fence, not to the code.
        const end = Math.max(open.start, closing === lineStart ? lineStart - 1 : closing);
        blocks.push({ start: open.start, end, language: open.language });
        open = undefined;
      }
    } else {
      const match = OPENING.exec(line);
      if (match && newline !== -1) open = { start: newline + 1, language: match[1]!.toLowerCase() };
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  return blocks;
}

/** A closing fence right after the code on its last line (```` return 1``` ````), only at the end of the text. */
function closingAtEnd(line: string, lineStart: number, lineEnd: number, contentEnd: number): number | undefined {
  if (lineEnd < contentEnd || !line.trimEnd().endsWith('```')) return undefined;
  return lineStart + line.trimEnd().length - 3;
}
