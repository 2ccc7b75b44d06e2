// Turns the code a model sent into a script for the sandbox whose completion value is the async function to
// call. Accepted, in JavaScript or TypeScript, alone or in one markdown fence (with prose around it or not):
//   - one function (`async () => {...}`, `async function main() {...}`, `export default async () => ...`),
//     which is called;
//   - a body with top-level `await` and `return`; when its last statement is an expression, that expression
//     is the value (`1 + 1` gives 2, like a REPL), so `main()` after a function declaration works too.
// TypeScript is transpiled with the compiler API. Every position the sandbox reports maps back to the code as
// sent (`toOriginal`), through our own edits and, for TypeScript, the transpiler's source map.
// The TypeScript parser can take exponential time on a few hundred bytes of nested syntax: the host runs this
// in a worker with a deadline (src/prepare), never on its main thread.
import { EditedText, LineIndex, type Position } from './edits.js';
import { fencedBlocks, type Fenced } from './fence.js';
import { findImports, rewriteImports } from './imports.js';
import { fromMapping, type Mapping } from './mapping.js';
import { parse, syntaxErrors, transpile, typescript, usesTypeScript } from './typescript.js';
import { v8SyntaxError } from './v8-syntax.js';
import { persistDeclarations, WORKSPACE_PARAMETER } from './workspace.js';
import type TypeScript from 'typescript';

export type { Position } from './edits.js';
export type { Mapping } from './mapping.js';

/** Why the code cannot run, found before running. The run fails with it. */
export interface Problem {
  kind: 'syntax' | 'timeout' | 'crashed' | 'cancelled';
  name: string;
  message: string;
  /** In the code as sent; absent when the problem is the code as a whole (its size, its parse time). */
  position?: Position;
  hint?: string;
}

export interface Normalized {
  /** JavaScript for the sandbox; evaluates to the function to call. */
  source: string;
  language: 'javascript' | 'typescript';
  /** A position in `source` → the same place in the code as sent; undefined inside text we added. */
  toOriginal(position: Position): Position | undefined;
  /** The data behind `toOriginal`, to rebuild it in another thread (`fromMapping`). */
  mapping: Mapping;
  /** The wrapped code before transpiling (what the type checker reads), with its own mapping. */
  checkable: { text: string; toOriginal(position: Position): Position | undefined };
  /** Found before running: a syntax error, an import, a type error, several fenced blocks. */
  problem?: Problem;
  /** A workspace run: the top-level names its code declares, which persist in the workspace. */
  declared?: string[];
  /** The modules the code imports (see ./imports.ts), which the sandbox loads into its run; absent when none. */
  imports?: string[];
}

export interface NormalizeOptions {
  /**
   * Normalize for a run in a workspace: top-level declarations persist (see ./workspace.ts). `persisted`:
   * the names earlier runs left, declared as `any` for the type checker.
   */
  workspace?: { persisted: readonly string[] };
  /** The modules the host configured: the only names an `import` may name. Default none. */
  modules?: readonly string[];
}

/** What a run needs on the host: the script and its mapping (the type checker's view stays where it ran). */
export type Runnable = Omit<Normalized, 'checkable'>;

const TYPESCRIPT_FENCES = new Set(['ts', 'typescript', 'tsx', 'mts']);

export const SEVERAL_FENCES_HINT = 'Send one piece of code: one fenced block, or the code alone.';
const NESTING_HINT = 'Write flatter code: split deeply nested expressions into statements.';

export function normalize(code: string, options: NormalizeOptions = {}): Normalized {
  try {
    return normalizeCode(code, options);
  } catch (error) {
    // The parser recurses once per nesting level: `((((…1…))))` 30,000 deep overflows its stack.
    if (!(error instanceof RangeError)) throw error;
    return {
      ...plain(new EditedText(code), 'javascript'),
      problem: { kind: 'syntax', name: 'SyntaxError', message: 'the code is nested too deeply to parse', hint: NESTING_HINT },
    };
  }
}

function normalizeCode(code: string, { workspace, modules = [] }: NormalizeOptions): Normalized {
  const chosen = chooseCode(code);
  if ('problem' in chosen) return { ...plain(new EditedText(code), 'javascript'), problem: chosen.problem };
  const { start, end, language } = chosen;
  const file = parse(code.slice(start, end));
  const edits = new EditedText(code, start, end);
  const isTypeScript = TYPESCRIPT_FENCES.has(language) || usesTypeScript(file);
  const lines = new LineIndex(code);
  const at = (offset: number) => lines.positionOf(start + offset);

  let problem = syntaxProblem(code, chosen, file, isTypeScript, lines);
  const imports = problem ? undefined : findImports(file, modules, at);
  if (imports && 'problem' in imports) problem = imports.problem;
  const moduleImports = imports && !('problem' in imports) && (imports.declarations.length > 0 || imports.dynamic.length > 0) ? imports : undefined;

  // What the type checker reads: the code as a plain run, after the names a workspace's earlier runs left.
  let checked = edits;
  let declared: string[] | undefined;
  // In a workspace a lone `function f() {}` is a declaration to keep, as in a REPL, not the function to call.
  const keepsFunction = workspace !== undefined && isPlainFunctionDeclaration(file);
  if (!keepsFunction && isSingleFunction(file, edits, start, moduleImports ? moduleImports.declarations.length : 0)) {
    edits.insert(start, '(\n', -1).insert(end, '\n)', 1);
  } else {
    const last = file.statements.at(-1);
    if (last && typescript().isExpressionStatement(last)) {
      // `return (` replaces the expression's first character with itself after it: V8 reports an error in a
      // returned expression at the `return`, and a position inside a replacement maps to what it replaced.
      const first = start + last.expression.getStart(file);
      edits.replace(first, 1, `return (${code[first]}`).insert(start + last.expression.end, ')');
    }
    if (workspace && !problem) {
      checked = EditedText.fromData(code, edits.toData());
      wrapBody(checked, start, end);
      declared = persistDeclarations(file, edits, start);
    }
    wrapBody(edits, start, end, workspace !== undefined && !problem);
  }
  const persisted = workspace?.persisted.filter((name) => !API_GLOBALS.has(name)) ?? [];
  if (persisted.length > 0) {
    if (checked === edits) checked = EditedText.fromData(code, edits.toData());
    checked.insert(start, persisted.map((name) => `declare var ${name}: any;\n`).join(''), -2);
  }
  if (moduleImports && !problem) {
    if (checked === edits) checked = EditedText.fromData(code, edits.toData());
    rewriteImports(moduleImports, file, edits, checked, start, end);
  }
  const imported = moduleImports && !problem && moduleImports.modules.length > 0 ? moduleImports.modules : undefined;
  const found = { ...(problem ? { problem } : {}), ...(declared ? { declared } : {}), ...(imported ? { imports: imported } : {}) };

  if (!isTypeScript || problem) {
    return { ...plain(edits, isTypeScript ? 'typescript' : 'javascript'), ...(checked !== edits ? { checkable: checkableOf(checked) } : {}), ...found };
  }
  const transpiled = transpile(edits.toString());
  const mapping: Mapping = { edits: edits.toData(), sourceMap: transpiled.sourceMap };
  return { source: transpiled.js, language: 'typescript', toOriginal: fromMapping(code, mapping), mapping, checkable: checkableOf(checked), ...found };
}

/** Globals of the API (declared by the type checker itself): a workspace variable of that name is not redeclared. */
const API_GLOBALS = new Set(['codemode', 'console']);

function checkableOf(edits: EditedText): Normalized['checkable'] {
  return { text: edits.toString(), toOriginal: (position) => edits.toOriginal(position) };
}

/** The code as it runs without transpiling: the edited text and its mapping. */
function plain(edits: EditedText, language: Normalized['language']): Normalized {
  const text = edits.toString();
  const toOriginal = (position: Position) => edits.toOriginal(position);
  return { source: text, language, toOriginal, mapping: { edits: edits.toData() }, checkable: { text, toOriginal } };
}

/** `workspace`: the wrapper takes the harness's WorkspaceApi, which rewritten declarations call. */
function wrapBody(edits: EditedText, start: number, end: number, workspace = false): void {
  edits.insert(start, workspace ? `(async (${WORKSPACE_PARAMETER}) => {\n` : '(async () => {\n', -1).insert(end, '\n})', 1);
}

/**
 * Which part of the text is the code: the text itself, or the one fenced block in it. A line that starts
 * with three backticks is never code (inside a template literal they would end it; a script that builds
 * markdown escapes them), so fence lines mean the text is markdown.
 */
function chooseCode(code: string): Fenced | { problem: Problem } {
  const blocks = fencedBlocks(code);
  if (blocks.length === 0) return { start: 0, end: code.length, language: '' };
  if (blocks.length === 1) return blocks[0]!;
  const second = new LineIndex(code).positionOf(code.lastIndexOf('```', blocks[1]!.start));
  return {
    problem: {
      kind: 'syntax',
      name: 'SyntaxError',
      message: `the text holds ${blocks.length} fenced code blocks; one run takes one`,
      position: second,
      hint: SEVERAL_FENCES_HINT,
    },
  };
}

/**
 * The syntax error to report before running, in the model's code only. An error at the very end says so
 * ("Unexpected end of input") at the model's last line, not at the wrapper we add after it. TypeScript's
 * errors are reported as the compiler words them; JavaScript's as V8 words them (models know them), at the
 * model's own position even when V8 trips over our wrapper (a stray `}` closes it early).
 */
function syntaxProblem(code: string, chosen: Fenced, file: TypeScript.SourceFile, isTypeScript: boolean, lines: LineIndex): Problem | undefined {
  const [first] = syntaxErrors(file);
  if (!first) return undefined;
  let v8: ReturnType<typeof v8SyntaxError>;
  const wrapped = new EditedText(code, chosen.start, chosen.end);
  if (!isTypeScript) {
    wrapBody(wrapped, chosen.start, chosen.end);
    v8 = v8SyntaxError(wrapped.toString());
    // V8 accepts what TypeScript's parser refused (they differ at the edges): the sandbox decides.
    if (!v8) return undefined;
  }
  const contentEnd = code.slice(chosen.start, chosen.end).trimEnd().length;
  if (first.offset >= contentEnd) {
    const detail = first.message.replace(/\.$/, '');
    return { kind: 'syntax', name: 'SyntaxError', message: `Unexpected end of input (${detail[0]!.toLowerCase()}${detail.slice(1)})`, position: lines.positionOf(chosen.start + contentEnd) };
  }
  const at = lines.positionOf(chosen.start + first.offset);
  if (!v8) return { kind: 'syntax', name: 'SyntaxError', message: first.message, position: at };
  const position = (v8.position && wrapped.toOriginal(v8.position)) ?? at;
  return { kind: 'syntax', name: 'SyntaxError', message: v8.message, position };
}

/** True when the code is one function declaration without `export`. */
function isPlainFunctionDeclaration(file: TypeScript.SourceFile): boolean {
  const [statement] = file.statements;
  return file.statements.length === 1 && typescript().isFunctionDeclaration(statement!) && !statement.modifiers?.some((m) => m.kind !== typescript().SyntaxKind.AsyncKeyword);
}

/**
 * True when the code is exactly one function, after its `imports` (the first statements, when it has any).
 * An `export default` in front is blanked out (replaced by spaces, so no position moves).
 */
function isSingleFunction(file: TypeScript.SourceFile, edits: EditedText, start: number, imports: number): boolean {
  const ts = typescript();
  if (file.statements.length !== imports + 1) return false;
  const statement = file.statements[imports]!;
  if (file.statements.slice(0, imports).some((first) => !ts.isImportDeclaration(first))) return false;
  if (ts.isFunctionDeclaration(statement)) {
    if (!statement.body) return false;
    const modifiers = statement.modifiers?.filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword) ?? [];
    for (const modifier of modifiers) edits.blank(start + modifier.getStart(file), start + modifier.end);
    return true;
  }
  const exported = ts.isExportAssignment(statement) && !statement.isExportEquals;
  if (!exported && !ts.isExpressionStatement(statement)) return false;
  const expression = statement.expression;
  if (!isFunction(unparenthesize(expression))) return false;
  if (exported) edits.blank(start + statement.getStart(file), start + expression.getStart(file));
  // The statement's own `;` would end up inside our parentheses.
  if (statement.end > expression.end) edits.blank(start + expression.end, start + statement.end);
  return true;
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
