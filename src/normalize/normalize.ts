// Turns the code a model sent into a script for the sandbox whose completion value is the async function to
// call. Accepted, in JavaScript or TypeScript, inside a markdown fence or not:
//   - one function (`async () => {...}`, `async function main() {...}`, `export default async () => ...`),
//     which is called;
//   - a body with top-level `await` and `return`; when its last statement is an expression, that expression
//     is the value (`1 + 1` gives 2, like a REPL), so `main()` after a function declaration works too.
// TypeScript is transpiled with the compiler API. Every position the sandbox reports maps back to the code as
// sent (`toOriginal`), through our own edits and, for TypeScript, the transpiler's source map.
import { EditedText, positionOf, type Position } from './edits.js';
import { unfence } from './fence.js';
import { parse, syntaxErrors, transpile, typescript, usesTypeScript } from './typescript.js';
import type TypeScript from 'typescript';

export type { Position } from './edits.js';

export interface Normalized {
  /** JavaScript for the sandbox; evaluates to the function to call. */
  source: string;
  language: 'javascript' | 'typescript';
  /** A position in `source` → the same place in the code as sent; undefined inside text we added. */
  toOriginal(position: Position): Position | undefined;
  /** The wrapped code before transpiling (what the type checker reads), with its own mapping. */
  checkable: { text: string; toOriginal(position: Position): Position | undefined };
  /** Found before running: a TypeScript syntax error, an import, a type error. The run fails with it. */
  problem?: { name: string; message: string; position: Position; hint?: string };
}

const TYPESCRIPT_FENCES = new Set(['ts', 'typescript', 'tsx', 'mts']);

export function normalize(code: string): Normalized {
  const { start, end, language } = unfence(code);
  const file = parse(code.slice(start, end));
  const edits = new EditedText(code, start, end);
  const isTypeScript = TYPESCRIPT_FENCES.has(language) || usesTypeScript(file);
  const at = (offset: number) => positionOf(code, start + offset);

  let problem: Normalized['problem'];
  const errors = syntaxErrors(file);
  // JavaScript syntax errors are left to V8, whose messages models know; TypeScript's are reported here.
  if (errors.length > 0 && isTypeScript) problem = { name: 'SyntaxError', message: errors[0]!.message, position: at(errors[0]!.offset) };
  const imported = file.statements.find((statement) => typescript().isImportDeclaration(statement));
  if (!problem && imported) {
    problem = { name: 'SyntaxError', message: 'import is not available here: there are no modules; call the codemode.* tools instead', position: at(imported.getStart(file)) };
  }

  if (isSingleFunction(file, edits, start)) {
    edits.insert(start, '(\n', -1).insert(end, '\n)', 1);
  } else {
    const last = file.statements.at(-1);
    if (last && typescript().isExpressionStatement(last)) {
      edits.insert(start + last.expression.getStart(file), 'return (').insert(start + last.expression.end, ')');
    }
    edits.insert(start, '(async () => {\n', -1).insert(end, '\n})', 1);
  }

  const text = edits.toString();
  const toEdited = (position: Position) => edits.toOriginal(position);
  const checkable = { text, toOriginal: toEdited };
  if (!isTypeScript || problem) {
    return { source: text, language: isTypeScript ? 'typescript' : 'javascript', toOriginal: toEdited, checkable, ...(problem ? { problem } : {}) };
  }
  const transpiled = transpile(text);
  return {
    source: transpiled.js,
    language: 'typescript',
    toOriginal: (position) => {
      const inText = transpiled.toSource(position);
      return inText && edits.toOriginal(inText);
    },
    checkable,
  };
}

/**
 * True when the code is exactly one function. An `export default` in front is blanked out (replaced by
 * spaces, so no position moves).
 */
function isSingleFunction(file: TypeScript.SourceFile, edits: EditedText, start: number): boolean {
  const ts = typescript();
  if (file.statements.length !== 1) return false;
  const statement = file.statements[0]!;
  if (ts.isFunctionDeclaration(statement)) {
    if (!statement.body) return false;
    const modifiers = statement.modifiers?.filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) ?? [];
    for (const modifier of modifiers) blank(edits, start + modifier.getStart(file), start + modifier.end);
    return true;
  }
  const exported = ts.isExportAssignment(statement) && !statement.isExportEquals;
  if (!exported && !ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  if (!isFunction(unparenthesize(expression))) return false;
  if (exported) blank(edits, start + statement.getStart(file), start + expression.getStart(file));
  // The statement's own `;` would end up inside our parentheses.
  if (statement.end > expression.end) blank(edits, start + expression.end, start + statement.end);
  return true;
}

/** Replaces original text with as many spaces, so that no position moves. */
function blank(edits: EditedText, from: number, to: number): void {
  edits.replace(from, to - from, ' '.repeat(to - from));
}

function unparenthesize(expression: TypeScript.Expression): TypeScript.Expression {
  const ts = typescript();
  while (ts.isParenthesizedExpression(expression)) expression = expression.expression;
  return expression;
}

function isFunction(expression: TypeScript.Expression): boolean {
  const ts = typescript();
  return ts.isArrowFunction(expression) || ts.isFunctionExpression(expression);
}
