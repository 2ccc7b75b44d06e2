// Imports in model code, mapped to the modules the host configured (src/modules). The sandbox runs a script,
// not an ES module, so the runnable text never keeps an `import`:
//   import Papa, { unparse as u } from 'papaparse';   (blanked where it stands; no position moves)
//   → the whole wrapped code becomes `((Papa, { unparse: u }) => (async () => {…}))(G.default("papaparse"), G("papaparse"))`
//   await import('date-fns')   → `await G.dynamic('date-fns')` (only the `import` keyword is replaced)
// where G is MODULES_GLOBAL, installed by the sandbox for runs that import something (src/sandbox/modules.ts).
// The type checker's text keeps the real declarations, moved above the wrapper (a copy that maps back to
// where each was written), so `check()` reads them against the modules' own declarations.
// An import of anything else is a syntax problem whose hint names the modules there are.
import { MODULES_GLOBAL } from '../bridge/protocol.js';
import type { EditedText, Position } from './edits.js';
import type { Problem } from './normalize.js';
import { typescript } from './typescript.js';
import type TypeScript from 'typescript';

export interface FoundImports {
  /** The static import declarations, in order. */
  declarations: TypeScript.ImportDeclaration[];
  /** `import(...)` calls. */
  dynamic: TypeScript.CallExpression[];
  /** The modules the code loads at run time (type-only imports load nothing). */
  modules: string[];
}

const NO_MODULES_MESSAGE = 'import is not available here: there are no modules; call the codemode.* tools instead';
const NO_MODULES_HINT = 'Nothing can be imported here: use standard JavaScript and the codemode.* tools.';

/** The imports of `file`, or the problem with the first one that names no configured module. */
export function findImports(file: TypeScript.SourceFile, configured: readonly string[], at: (offset: number) => Position): FoundImports | { problem: Problem } {
  const ts = typescript();
  const found: FoundImports = { declarations: [], dynamic: [], modules: [] };
  const loaded = new Set<string>();
  for (const statement of file.statements) {
    if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      return { problem: refused(statement.getStart(file), undefined, configured, at) };
    }
    if (!ts.isImportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    const name = ts.isStringLiteral(specifier) ? specifier.text : undefined;
    if (name === undefined || !configured.includes(name)) return { problem: refused(statement.getStart(file), name, configured, at) };
    found.declarations.push(statement);
    if (loadsValues(statement)) loaded.add(name);
  }
  // Most code has no `import(`: skip the walk.
  if (file.text.includes('import')) {
    const visit = (node: TypeScript.Node): Problem | undefined => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [argument] = node.arguments;
        const name = argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
        if (name === undefined) {
          return { kind: 'syntax', name: 'SyntaxError', message: 'import() takes the name of a module in quotes', position: at(node.getStart(file)), hint: modulesHint(configured) };
        }
        if (!configured.includes(name)) return refused(node.getStart(file), name, configured, at);
        found.dynamic.push(node);
        loaded.add(name);
      }
      return ts.forEachChild(node, visit);
    };
    const problem = ts.forEachChild(file, visit);
    if (problem) return { problem };
  }
  found.modules = [...loaded];
  return found;
}

/**
 * Rewrites the imports: `runnable` gets bindings instead of declarations, `checkable` the declarations moved
 * above everything else. `start` and `end` bound the code in the text as sent (a fence's content).
 */
export function rewriteImports(found: FoundImports, file: TypeScript.SourceFile, runnable: EditedText, checkable: EditedText, start: number, end: number): void {
  const ts = typescript();
  const parameters: string[] = [];
  const values: string[] = [];
  const load = (name: string, how: '' | '.default' | '.dynamic') => `${MODULES_GLOBAL}${how}(${JSON.stringify(name)})`;
  for (const declaration of found.declarations) {
    const from = start + declaration.getStart(file);
    const to = start + declaration.end;
    runnable.blank(from, to);
    checkable.blank(from, to).insert(start, file.text.slice(declaration.getStart(file), declaration.end) + '\n', -3, from);
    const clause = declaration.importClause;
    const name = (declaration.moduleSpecifier as TypeScript.StringLiteral).text;
    if (!clause || clause.isTypeOnly) continue;
    if (clause.name) {
      parameters.push(clause.name.text);
      values.push(load(name, '.default'));
    }
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      parameters.push(bindings.name.text);
      values.push(load(name, ''));
    } else if (bindings) {
      const names = bindings.elements.filter((element) => !element.isTypeOnly).map((element) => (element.propertyName ? `${element.propertyName.getText(file)}: ${element.name.text}` : element.name.text));
      if (names.length > 0) {
        parameters.push(`{ ${names.join(', ')} }`);
        values.push(load(name, ''));
      }
    }
  }
  for (const call of found.dynamic) {
    runnable.replace(start + call.expression.getStart(file), 'import'.length, `${MODULES_GLOBAL}.dynamic`);
  }
  if (parameters.length > 0) runnable.insert(start, `((${parameters.join(', ')}) => `, -3).insert(end, `)(${values.join(', ')})`, 3);
}

/** True unless the declaration imports types only (`import type`, or `import { type A }` with nothing else). */
function loadsValues(declaration: TypeScript.ImportDeclaration): boolean {
  const ts = typescript();
  const clause = declaration.importClause;
  if (!clause) return true;
  if (clause.isTypeOnly) return false;
  if (clause.name) return true;
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return true;
  return bindings.elements.length === 0 || bindings.elements.some((element) => !element.isTypeOnly);
}

function refused(offset: number, name: string | undefined, configured: readonly string[], at: (offset: number) => Position): Problem {
  const position = at(offset);
  if (configured.length === 0) return { kind: 'syntax', name: 'SyntaxError', message: NO_MODULES_MESSAGE, position, hint: NO_MODULES_HINT };
  const what = name === undefined ? 'this import' : `"${name}"`;
  return { kind: 'syntax', name: 'SyntaxError', message: `import is not available for ${what}: it is not one of the modules here`, position, hint: modulesHint(configured) };
}

function modulesHint(configured: readonly string[]): string {
  return configured.length === 0 ? NO_MODULES_HINT : `The modules you can import: ${configured.join(', ')}. Do the rest with standard JavaScript and the codemode.* tools.`;
}
