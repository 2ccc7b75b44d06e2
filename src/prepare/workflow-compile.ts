// Compiles one workflow in a preparation worker: finds its `run` function, type-checks the code against the
// current API (the tools and the other workflows), reads `run`'s input and awaited output types as JSON
// Schema, and makes the JavaScript the sandbox evaluates: an expression whose value is a function that
// returns `run`. Positions in diagnostics are in the workflow's own code; `mapping` leads from the
// JavaScript back to it. Runs no workflow code.
import type TypeScript from 'typescript';
import { EditedText } from '../normalize/edits.js';
import type { Mapping } from '../normalize/mapping.js';
import { parse, syntaxErrors, transpile, typescript, usesTypeScript } from '../normalize/typescript.js';
import { LineIndex } from '../normalize/edits.js';
import type { TypeChecker, TypeDiagnostic } from '../types/check.js';
import type { JsonSchemaObject } from '../types/json-schema.js';
import { typeToSchema } from './workflow-schema.js';

export interface CompiledWorkflow {
  /** `(function () {…; return run;\n})`: evaluated in the run's context, then called once to get `run`. */
  source: string;
  mapping: Mapping;
  language: 'javascript' | 'typescript';
  input: JsonSchemaObject;
  /** The awaited return type; `{}` when it says nothing (`unknown`, `any`, `void`). */
  output: JsonSchemaObject;
  /** Empty when the code compiles. */
  diagnostics: TypeDiagnostic[];
  /** True when the code cannot run at all (syntax, an import, no `run`): `source` is not runnable. */
  broken: boolean;
}

/** Code 1005 is what `executor.check()` uses for syntax errors; the same here, and for a missing `run`. */
const STRUCTURE_CODE = 1005;
const WRAP_START = '(function () {\n';
const WRAP_END = '\nreturn run;\n})';

export function compileWorkflow(code: string, checker: TypeChecker): CompiledWorkflow {
  const ts = typescript();
  const file = parse(code);
  const lines = new LineIndex(code);
  const at = (offset: number) => lines.positionOf(offset);
  const edits = new EditedText(code);
  const problems: TypeDiagnostic[] = [];
  for (const error of syntaxErrors(file).slice(0, 5)) problems.push({ code: STRUCTURE_CODE, message: error.message, ...at(error.offset) });

  let run: TypeScript.Node | undefined;
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      problems.push({ code: STRUCTURE_CODE, message: 'import is not available in a workflow; call the codemode.* tools instead', ...at(statement.getStart(file)) });
      continue;
    }
    if (ts.isExportAssignment(statement) || ts.isExportDeclaration(statement)) {
      problems.push({ code: STRUCTURE_CODE, message: 'a workflow exports nothing: define `async function run(input)` at top level', ...at(statement.getStart(file)) });
      continue;
    }
    // `export async function run` reads as meant: the keyword is blanked (no position moves).
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    for (const modifier of modifiers) {
      if (modifier.kind === ts.SyntaxKind.ExportKeyword) edits.replace(modifier.getStart(file), modifier.end - modifier.getStart(file), ' '.repeat(modifier.end - modifier.getStart(file)));
    }
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'run' && statement.body) run = statement.name;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === 'run') run = declaration.name;
      }
    }
  }
  if (!run && problems.length === 0) {
    problems.push({ code: STRUCTURE_CODE, message: 'a workflow defines `async function run(input) { ... }` at top level; this code has no `run`', line: 1, column: 1 });
  }

  const blanked = edits.toString();
  const diagnostics = problems.length > 0 ? problems : checker.check({ source: blanked, language: 'typescript', toOriginal: (p) => p, mapping: { edits: edits.toData() }, checkable: { text: blanked, toOriginal: (p) => p } });
  let input: JsonSchemaObject = { type: 'object' };
  let output: JsonSchemaObject = {};
  const checked = problems.length === 0 ? checker.checked() : undefined;
  const signature = checked && runSignature(checked.program, checked.file);
  if (signature) ({ input, output } = signature);
  else if (checked) diagnostics.push({ code: STRUCTURE_CODE, message: '`run` is not a function', line: 1, column: 1 });
  const broken = !signature;

  edits.insert(0, WRAP_START, -1).insert(code.length, WRAP_END, 1);
  const isTypeScript = usesTypeScript(file);
  const wrapped = edits.toString();
  // Type errors do not stop the transpiling: a stale workflow stays callable, and its run may still succeed.
  if (!isTypeScript || problems.length > 0) return { source: wrapped, mapping: { edits: edits.toData() }, language: isTypeScript ? 'typescript' : 'javascript', input, output, diagnostics, broken };
  const transpiled = transpile(wrapped);
  return { source: transpiled.js, mapping: { edits: edits.toData(), sourceMap: transpiled.sourceMap }, language: 'typescript', input, output, diagnostics, broken };
}

/** `run`'s first parameter and awaited return type, read where the checker declared it. */
function runSignature(program: TypeScript.Program, file: TypeScript.SourceFile): { input: JsonSchemaObject; output: JsonSchemaObject } | undefined {
  const ts = typescript();
  const checker = program.getTypeChecker();
  let node: TypeScript.Node | undefined;
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === 'run') node = statement.name;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name) && declaration.name.text === 'run') node = declaration.name;
    }
  }
  if (!node) return undefined;
  const [signature] = checker.getTypeAtLocation(node).getCallSignatures();
  if (!signature) return undefined;
  const [parameter] = signature.getParameters();
  // No parameter: called with `{}` (or nothing). An unannotated one (JavaScript) is `any`: any object.
  let input: JsonSchemaObject = { type: 'object', properties: {}, additionalProperties: false };
  if (parameter) {
    const declaration = parameter.valueDeclaration ?? node;
    const type = checker.getTypeOfSymbolAtLocation(parameter, declaration);
    input = type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown) ? { type: 'object' } : typeToSchema(checker, type);
  }
  const returned = signature.getReturnType();
  const output = typeToSchema(checker, checker.getAwaitedType(returned) ?? returned);
  return { input, output };
}
