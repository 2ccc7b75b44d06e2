// The mapping from the script the sandbox runs back to the code as sent, as plain data: normalization makes
// it in a worker, the host rebuilds the lookup from it. Each lookup is logarithmic in the size of the code
// (line tables, and the source map's own binary search), so mapping a stack of n frames costs n·log(size).
import { SourceMap } from 'node:module';
import { EditedText, type EditsData, type Position } from './edits.js';

export interface Mapping {
  /** Our edits (wrapper, `return`, blanked `export default`) on the code as sent. */
  edits: EditsData;
  /** For TypeScript: the transpiler's source map (JSON), from the JavaScript to the edited text. */
  sourceMap?: string;
}

/** A position in the script that ran → the code as sent; undefined inside text we added. */
export function fromMapping(code: string, mapping: Mapping): (position: Position) => Position | undefined {
  const edits = EditedText.fromData(code, mapping.edits);
  if (mapping.sourceMap === undefined) return (position) => edits.toOriginal(position);
  const json = mapping.sourceMap;
  let map: SourceMap | undefined;
  return (position) => {
    // Parsed on the first lookup: most runs never report a position.
    map ??= new SourceMap(JSON.parse(json));
    const inText = throughSourceMap(map, position);
    return inText && edits.toOriginal(inText);
  };
}

function throughSourceMap(map: SourceMap, { line, column }: Position): Position | undefined {
  const entry = map.findEntry(line - 1, column - 1) as { originalLine?: number; originalColumn?: number; generatedLine?: number; generatedColumn?: number };
  if (entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  // findEntry gives the mapping at or before the position: carry the distance within that segment.
  const within = entry.generatedLine === line - 1 ? column - 1 - entry.generatedColumn! : 0;
  return { line: entry.originalLine + 1, column: entry.originalColumn + within + 1 };
}
