// Workspace runs (src/executor/workspace.ts): the top-level declarations of a body are rewritten so that they outlive the
// run, as properties of the global object of the context the workspace keeps. Every change is an edit of the
// one position mapping (a replacement or an insertion at the model's own offsets), so errors still point
// into the code as sent. Runs in the preparation worker, like all of normalization.
//
//   const { a, b: [c] } = o;   →   ;( { a, b: [c] } = o); $$codemodeWorkspace.seal(["a","c"]);
//   let x: number;             →   ;( x         = void 0);
//   function f() {}            →   function f() {}        (and `f` goes to `declare` at the start: hoisted)
//   class K {}                 →   K = class K {};
//
// and at the start of the body `$$codemodeWorkspace.declare([...names], [...functionNames], [...functions])`
// makes each name a writable global (a name declared again is simply declared again, as in Node's REPL).
// `seal` turns a `const`'s names into globals whose assignment throws "Assignment to constant variable."
// (see WorkspaceApi in src/sandbox/harness.ts). Left as they are, so local to the run: declarations inside
// blocks and loops, `using`, enums and namespaces, and anything with modifiers (`declare`, `export`,
// decorators).
import type TypeScript from 'typescript';
import type { EditedText } from './edits.js';
import { typescript } from './typescript.js';

/** The wrapper's parameter through which rewritten declarations reach the harness. */
export const WORKSPACE_PARAMETER = '$$codemodeWorkspace';

/** Order of the `declare` call among edits at the body's first offset: after the wrapper, before the rest. */
const DECLARE_ORDER = -0.5;

/**
 * Rewrites the top-level declarations of `file` (parsed from the code at offset `start`) in `edits`; returns
 * the names declared, which then live on in the workspace.
 */
export function persistDeclarations(file: TypeScript.SourceFile, edits: EditedText, start: number): string[] {
  const ts = typescript();
  const names: string[] = [];
  /** Each function's name, and its source text to refer to it by (`\u0061` stands for `a`). */
  const functions: Array<{ name: string; text: string }> = [];
  const at = (offset: number) => start + offset;
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      if (statement.modifiers?.length) continue;
      const list = statement.declarationList;
      const kind = list.flags & ts.NodeFlags.BlockScoped;
      // `using` and `await using` dispose at the end of the run: they stay local.
      if (kind !== 0 && kind !== ts.NodeFlags.Let && kind !== ts.NodeFlags.Const) continue;
      const keyword = kind === ts.NodeFlags.Const ? 'const' : kind === ts.NodeFlags.Let ? 'let' : 'var';
      const declared: string[] = [];
      for (const declaration of list.declarations) {
        bindingNames(declaration.name, declared);
        // `x: number` and `x!: number`: an assignment has no annotation.
        const typeEnd = declaration.type?.end ?? declaration.exclamationToken?.end;
        if (typeEnd !== undefined) edits.blank(at(declaration.name.end), at(typeEnd));
        if (!declaration.initializer && keyword !== 'var') edits.insert(at(typeEnd ?? declaration.name.end), ' = void 0');
      }
      // `;` first: a previous line without one would otherwise be called with our parenthesis.
      edits.replace(at(list.getStart(file)), keyword.length, ';(');
      const sealed = keyword === 'const' ? ` ${WORKSPACE_PARAMETER}.seal(${JSON.stringify(declared)});` : '';
      edits.insert(at(list.end), `);${sealed}`);
      names.push(...declared);
    } else if (ts.isFunctionDeclaration(statement)) {
      if (!statement.body || !statement.name || statement.modifiers?.some((m) => m.kind !== ts.SyntaxKind.AsyncKeyword)) continue;
      functions.push({ name: statement.name.text, text: statement.name.getText(file) });
    } else if (ts.isClassDeclaration(statement)) {
      if (!statement.name || statement.modifiers?.length) continue;
      edits.insert(at(statement.getStart(file)), `${statement.name.getText(file)} = `).insert(at(statement.end), ';');
      names.push(statement.name.text);
    }
  }
  if (names.length > 0 || functions.length > 0) {
    const functionNames = JSON.stringify(functions.map((f) => f.name));
    const call = `${WORKSPACE_PARAMETER}.declare(${JSON.stringify(unique(names))}, ${functionNames}, [${functions.map((f) => f.text).join(', ')}]); `;
    edits.insert(start, call, DECLARE_ORDER);
  }
  return unique([...names, ...functions.map((f) => f.name)]);
}

/** The names a binding introduces: `x`, or every name inside `{ a, b: [c, ...d] }`. */
function bindingNames(name: TypeScript.BindingName, into: string[]): void {
  const ts = typescript();
  if (ts.isIdentifier(name)) {
    into.push(name.text);
    return;
  }
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) bindingNames(element.name, into);
  }
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
