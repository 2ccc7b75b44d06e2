// Test helper: type-checks in-memory files with the real TypeScript compiler under `--strict` and lib
// ES2022, the way a user's `tsc` would see our declarations. The library files are parsed once and shared.
import ts from 'typescript';

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  types: [],
  // Only the compiler's own library is skipped: our `.d.ts` is checked like any source file.
  skipDefaultLibCheck: true,
};

const libraryFiles = new Map<string, ts.SourceFile | undefined>();
const ROOT = '/virtual/';

/**
 * The diagnostics for `files` (name → text, e.g. `codemode.d.ts`, `main.ts`), each as
 * `file:line: message`. An empty array means the files compile.
 */
export function typecheck(files: Readonly<Record<string, string>>, extra: ts.CompilerOptions = {}): string[] {
  const options = { ...OPTIONS, ...extra };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(Object.entries(files).map(([name, text]) => [ROOT + name, text]));
  const baseGetSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language) => {
    const text = virtual.get(fileName);
    if (text !== undefined) return ts.createSourceFile(fileName, text, language, true);
    if (!libraryFiles.has(fileName)) libraryFiles.set(fileName, baseGetSourceFile(fileName, language));
    return libraryFiles.get(fileName);
  };
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || baseFileExists(fileName);
  const baseReadFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(fileName) ?? baseReadFile(fileName);
  host.writeFile = () => {};
  const program = ts.createProgram([...virtual.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName.slice(ROOT.length)}:${line + 1}: ${message}`;
  });
}

/** Type-checks declarations with one snippet of model code beside them. */
export function checkCall(declarations: string, code: string, extra?: ts.CompilerOptions): string[] {
  return typecheck({ 'codemode.d.ts': declarations, 'main.ts': `export {};\nasync function main() {\n${code}\n}\nvoid main;\n` }, extra);
}
