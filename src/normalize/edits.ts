// Text edits on the model's code that keep every position traceable: the wrapper and the `return` we add
// are insertions, and a position in the edited text maps back to the same place in the code as sent (or to
// nothing, inside text we inserted). This is the offset table behind every line number a model reads.

interface Edit {
  /** Offset in the original text. */
  at: number;
  /** Among edits at the same offset, lower goes first: an opening wrapper -1, its closing +1. */
  order: number;
  /** Original characters replaced (0 for an insertion). */
  length: number;
  text: string;
}

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export class EditedText {
  private readonly edits: Edit[] = [];
  private text: string | undefined;

  /** `original` is the whole text as sent; edits apply to `original.slice(start, end)`. */
  constructor(
    private readonly original: string,
    private readonly start = 0,
    private readonly end = original.length,
  ) {}

  /** Inserts `text` before original offset `at` (relative to the whole text as sent). */
  insert(at: number, text: string, order = 0): this {
    return this.replace(at, 0, text, order);
  }

  replace(at: number, length: number, text: string, order = 0): this {
    this.edits.push({ at, length, text, order });
    this.edits.sort((a, b) => a.at - b.at || a.order - b.order);
    this.text = undefined;
    return this;
  }

  toString(): string {
    this.text ??= this.apply();
    return this.text;
  }

  private apply(): string {
    let out = '';
    let cursor = this.start;
    for (const edit of this.edits) {
      out += this.original.slice(cursor, edit.at) + edit.text;
      cursor = edit.at + edit.length;
    }
    return out + this.original.slice(cursor, this.end);
  }

  /** Maps a position in the edited text to the code as sent; undefined inside inserted text. */
  toOriginal(position: Position): Position | undefined {
    const edited = this.toString();
    const generated = offsetOf(edited, position);
    if (generated === undefined) return undefined;
    let shift = this.start;
    let editedCursor = 0;
    let originalCursor = this.start;
    for (const edit of this.edits) {
      const before = edit.at - originalCursor;
      if (generated < editedCursor + before) break;
      editedCursor += before;
      if (generated < editedCursor + edit.text.length) return edit.length > 0 ? positionOf(this.original, edit.at) : undefined;
      editedCursor += edit.text.length;
      originalCursor = edit.at + edit.length;
      shift = originalCursor - editedCursor;
    }
    return positionOf(this.original, generated + shift);
  }
}

function offsetOf(text: string, { line, column }: Position): number | undefined {
  let offset = 0;
  for (let i = 1; i < line; i++) {
    offset = text.indexOf('\n', offset) + 1;
    if (offset === 0) return undefined;
  }
  return offset + column - 1;
}

export function positionOf(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
