// The TypeScript compiler, loaded on first use (≈170 ms): parsing model code, telling TypeScript syntax
// apart from JavaScript, and transpiling with a source map so positions lead back to the model's lines.
import { createRequire } from 'node:module';
import type TypeScript from 'typescript';

let loaded: typeof TypeScript | undefined;

export function typescript(): typeof TypeScript {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return loaded;
}

export function parse(text: string): TypeScript.SourceFile {
  const ts = typescript();
  return ts.createSourceFile('code.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Syntax errors the parser found, at offsets in the parsed text. */
export function syntaxErrors(file: TypeScript.SourceFile): Array<{ message: string; offset: number }> {
  const ts = typescript();
  const diagnostics = (file as unknown as { parseDiagnostics?: TypeScript.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.map((diagnostic) => ({ message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'), offset: diagnostic.start }));
}

/** True when the code uses syntax that only TypeScript has: annotations, interfaces, `as`, generics, enums... */
export function usesTypeScript(file: TypeScript.SourceFile): boolean {
  const ts = typescript();
  const onlyTypeScript = new Set<TypeScript.SyntaxKind>([
    ts.SyntaxKind.InterfaceDeclaration,
    ts.SyntaxKind.TypeAliasDeclaration,
    ts.SyntaxKind.EnumDeclaration,
    ts.SyntaxKind.ModuleDeclaration,
    ts.SyntaxKind.AsExpression,
    ts.SyntaxKind.SatisfiesExpression,
    ts.SyntaxKind.NonNullExpression,
    ts.SyntaxKind.TypeAssertionExpression,
    ts.SyntaxKind.ImportEqualsDeclaration,
    ts.SyntaxKind.TypeParameter,
    ts.SyntaxKind.DeclareKeyword,
    ts.SyntaxKind.AbstractKeyword,
    ts.SyntaxKind.PublicKeyword,
    ts.SyntaxKind.PrivateKeyword,
    ts.SyntaxKind.ProtectedKeyword,
    ts.SyntaxKind.ReadonlyKeyword,
    ts.SyntaxKind.OverrideKeyword,
  ]);
  const visit = (node: TypeScript.Node): boolean => {
    // `class A extends B` is JavaScript; only type arguments make it TypeScript.
    if (ts.isExpressionWithTypeArguments(node)) return node.typeArguments !== undefined || visit(node.expression);
    if (ts.isTypeNode(node)) return true;
    if (onlyTypeScript.has(node.kind)) return true;
    if (ts.isParameter(node) && node.questionToken) return true;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.typeArguments) return true;
    if (ts.isHeritageClause(node) && node.token === ts.SyntaxKind.ImplementsKeyword) return true;
    if ((ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node)) && node.exclamationToken) return true;
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(file);
}

export interface Transpiled {
  js: string;
  /** The source map (JSON) from `js` to the transpiled TypeScript text. */
  sourceMap: string;
}

export function transpile(text: string): Transpiled {
  const ts = typescript();
  const output = ts.transpileModule(text, {
    fileName: 'code.ts',
    reportDiagnostics: false,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true, removeComments: false },
  });
  return { js: output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n'), sourceMap: output.sourceMapText! };
}
