// Text edits on the model's code that keep every position traceable: the wrapper and the `return` we add
// are insertions, and a position in the edited text maps back to the same place in the code as sent (or to
// nothing, inside text we inserted). This is the offset table behind every line number a model reads.

export interface Edit {
  /** Offset in the original text. */
  at: number;
  /** Among edits at the same offset, lower goes first: an opening wrapper -1, its closing +1. */
  order: number;
  /** Original characters replaced (0 for an insertion). */
  length: number;
  text: string;
  /** Inserted text copied from this original offset (an import moved above the wrapper): positions in it map there. */
  from?: number;
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
  private editedLines: LineIndex | undefined;
  private originalLines: LineIndex | undefined;

  /** `original` is the whole text as sent; edits apply to `original.slice(start, end)`. */
  constructor(
    private readonly original: string,
    private readonly start = 0,
    private readonly end = original.length,
  ) {}

  /**
   * Inserts `text` before original offset `at` (relative to the whole text as sent). `from`: the text is a
   * copy of the original from that offset on, and maps back there.
   */
  insert(at: number, text: string, order = 0, from?: number): this {
    return this.replace(at, 0, text, order, from);
  }

  replace(at: number, length: number, text: string, order = 0, from?: number): this {
    this.edits.push({ at, length, text, order, ...(from !== undefined ? { from } : {}) });
    this.edits.sort((a, b) => a.at - b.at || a.order - b.order);
    this.text = undefined;
    this.editedLines = undefined;
    return this;
  }

  /** Replaces original text with as many spaces, so that no position moves. */
  blank(from: number, to: number): this {
    return this.replace(from, to - from, ' '.repeat(to - from));
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

  /** The edits, to rebuild this mapping elsewhere (the host rebuilds what a normalization worker made). */
  toData(): EditsData {
    return { start: this.start, end: this.end, edits: this.edits.map((edit) => ({ ...edit })) };
  }

  static fromData(original: string, data: EditsData): EditedText {
    const text = new EditedText(original, data.start, data.end);
    for (const edit of data.edits) text.edits.push({ ...edit });
    return text;
  }

  /**
   * Maps a position in the edited text to the code as sent; undefined inside inserted text. Logarithmic in
   * the number of lines (line tables are built once), linear in the number of edits (a handful).
   */
  toOriginal(position: Position): Position | undefined {
    this.editedLines ??= new LineIndex(this.toString());
    this.originalLines ??= new LineIndex(this.original);
    const generated = this.editedLines.offsetOf(position);
    if (generated === undefined) return undefined;
    let shift = this.start;
    let editedCursor = 0;
    let originalCursor = this.start;
    for (const edit of this.edits) {
      const before = edit.at - originalCursor;
      if (generated < editedCursor + before) break;
      editedCursor += before;
      if (generated < editedCursor + edit.text.length) {
        if (edit.from !== undefined) return this.originalLines.positionOf(edit.from + generated - editedCursor);
        return edit.length > 0 ? this.originalLines.positionOf(edit.at) : undefined;
      }
      editedCursor += edit.text.length;
      originalCursor = edit.at + edit.length;
      shift = originalCursor - editedCursor;
    }
    return this.originalLines.positionOf(generated + shift);
  }
}

export interface EditsData {
  start: number;
  end: number;
  edits: Edit[];
}

/** Where each line of a text starts, so positions and offsets convert in O(log lines). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The offset of a 1-based position; undefined past the last line. */
  offsetOf({ line, column }: Position): number | undefined {
    const start = this.starts[line - 1];
    return start === undefined ? undefined : start + column - 1;
  }

  positionOf(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }

  get lines(): number {
    return this.starts.length;
  }
}

/** The 1-based position of `offset` in `text` (one scan; build a LineIndex to convert many). */
export function positionOf(text: string, offset: number): Position {
  return new LineIndex(text.slice(0, offset)).positionOf(offset);
}
