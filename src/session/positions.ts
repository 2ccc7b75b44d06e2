// The sandbox reports positions in the script it ran (`code.js:LINE:COLUMN`); the model must read positions
// in the code it sent. Rewrites every such position in a stack or a console line, through the mapping that
// normalization made, and drops stack frames that fall inside our own wrapper.
import { CODE_FILENAME } from '../bridge/protocol.js';
import type { Position } from '../normalize/normalize.js';

const POSITION = new RegExp(`${CODE_FILENAME.replace('.', '\\.')}:(\\d+):(\\d+)`, 'g');

export function mapPositions(text: string, toOriginal: (position: Position) => Position | undefined): string {
  return text
    .split('\n')
    .flatMap((line) => {
      let lost = false;
      const mapped = line.replace(POSITION, (_all, l: string, c: string) => {
        const position = toOriginal({ line: Number(l), column: Number(c) });
        if (!position) lost = true;
        return position ? `${CODE_FILENAME}:${position.line}:${position.column}` : CODE_FILENAME;
      });
      return lost && /^\s+at /.test(line) ? [] : [mapped];
    })
    .join('\n');
}
