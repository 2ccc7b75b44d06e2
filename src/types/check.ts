// Type-checks model code against the declarations of `codemode`, before it runs. A language service is kept
// warm per executor (the standard library is parsed once), so checking a short script costs milliseconds.
// Loads the TypeScript compiler on first use; nothing else in src/types does.
import { dirname } from 'node:path';
import type TypeScript from 'typescript';
import type { Normalized, Position } from '../normalize/normalize.js';
import { typescript } from '../normalize/typescript.js';

export interface TypeDiagnostic {
  /** TypeScript's error code, e.g. 2339. */
  code: number;
  message: string;
  /** 1-based, in the code as sent. */
  line: number;
  column: number;
}

/**
 * Codes left out because in a short script they are noise, not bugs:
 * - implicit `any` (7005, 7006, 7008, 7018, 7019, 7031, 7034, 7053, 7017): scripts rarely annotate;
 * - "possibly null/undefined" (2531, 2532, 2533, 18047, 18048, 18049): models guard where it matters;
 * - "is of type 'unknown'" (2571, 18046): tools without an output schema return `unknown` on purpose.
 */
export const IGNORED_DIAGNOSTICS: ReadonlySet<number> = new Set([
  7005, 7006, 7008, 7017, 7018, 7019, 7031, 7034, 7053, 2531, 2532, 2533, 18047, 18048, 18049, 2571, 18046,
]);

const GLOBALS = `
declare const console: {
  log(...data: unknown[]): void;
  info(...data: unknown[]): void;
  warn(...data: unknown[]): void;
  error(...data: unknown[]): void;
  debug(...data: unknown[]): void;
  trace(...data: unknown[]): void;
  dir(item?: unknown): void;
  table(data?: unknown): void;
  assert(condition?: unknown, ...data: unknown[]): void;
  count(label?: string): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
};
`;

/**
 * A module's declarations, as a line of the declarations text a checker gets (src/modules adds them): code
 * that imports `name` is checked against the `.d.ts` at `path`. Part of the text, so a checker's cache key
 * (the text) covers the modules too.
 */
export function moduleTypesLine(name: string, path: string): string {
  return `${MODULE_TYPES_PREFIX}${JSON.stringify({ name, path })}`;
}

const MODULE_TYPES_PREFIX = '// codemode-module-types ';

/** The `paths` compiler option from the module lines of `declarations`. */
function modulePaths(declarations: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  for (const line of declarations.split('\n')) {
    if (!line.startsWith(MODULE_TYPES_PREFIX)) continue;
    const { name, path } = JSON.parse(line.slice(MODULE_TYPES_PREFIX.length)) as { name: string; path: string };
    paths[name] = [path];
  }
  return paths;
}

const CODE_FILE = 'code.ts';
/**
 * One document registry per thread: checkers for different tool sets share the parsed standard library, so
 * a new set (a workflow saved, a tool added) costs its own declarations, not the library again. Versions
 * are unique across checkers because the registry keys documents by file name and version.
 */
let registry: TypeScript.DocumentRegistry | undefined;
let versions = 0;
const API_FILE = 'codemode.d.ts';

export class TypeChecker {
  private readonly service: TypeScript.LanguageService;
  private code = '';
  private version = ++versions;
  private declarations: string;
  private api: TypeScript.IScriptSnapshot;
  private apiVersion = ++versions;

  constructor(declarations: string) {
    const ts = typescript();
    this.declarations = declarations;
    this.api = ts.ScriptSnapshot.fromString(`${declarations}\n${GLOBALS}`);
    const libDirectory = dirname(ts.getDefaultLibFilePath({}));
    const paths = modulePaths(declarations);
    // Imports resolve only to the configured modules' declarations, as a bundler would; without modules,
    // the options stay as they were.
    const modules: TypeScript.CompilerOptions = Object.keys(paths).length === 0 ? {} : {
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      esModuleInterop: true,
      paths,
    };
    const options: TypeScript.CompilerOptions = {
      ...modules,
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      types: [],
      skipLibCheck: true,
      allowJs: false,
    };
    const host: TypeScript.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [API_FILE, CODE_FILE],
      getScriptVersion: (file) => (file === CODE_FILE ? String(this.version) : file === API_FILE ? String(this.apiVersion) : '1'),
      getScriptSnapshot: (file) => {
        if (file === CODE_FILE) return ts.ScriptSnapshot.fromString(this.code);
        if (file === API_FILE) return this.api;
        const text = ts.sys.readFile(file.startsWith('/') ? file : `${libDirectory}/${file}`);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => '/',
      getDefaultLibFileName: () => `${libDirectory}/lib.es2023.d.ts`,
      fileExists: (file) => file === CODE_FILE || file === API_FILE || ts.sys.fileExists(file),
      readFile: (file) => ts.sys.readFile(file),
      // A module's declarations may reference Node's (`/// <reference types="node" />`): never load them, so
      // the model's code is not checked as if `process` or `require` existed in the sandbox.
      resolveTypeReferenceDirectiveReferences: (references) => references.map(() => ({ resolvedTypeReferenceDirective: undefined })),
    };
    this.service = ts.createLanguageService(host, (registry ??= ts.createDocumentRegistry()));
  }

  /** Checks against new declarations from now on (the tool set changed); the parsed standard library stays. */
  setDeclarations(declarations: string): void {
    if (declarations === this.declarations) return;
    this.declarations = declarations;
    this.api = typescript().ScriptSnapshot.fromString(`${declarations}\n${GLOBALS}`);
    this.apiVersion = ++versions;
  }

  /** Type errors in the normalized code, in the positions of the code as sent, first ones first. */
  check(normalized: Normalized): TypeDiagnostic[] {
    const ts = typescript();
    this.code = normalized.checkable.text;
    this.version = ++versions;
    const diagnostics = [...this.service.getSyntacticDiagnostics(CODE_FILE), ...this.service.getSemanticDiagnostics(CODE_FILE)];
    const out: TypeDiagnostic[] = [];
    for (const diagnostic of diagnostics) {
      if (diagnostic.category !== ts.DiagnosticCategory.Error || IGNORED_DIAGNOSTICS.has(diagnostic.code)) continue;
      const file = diagnostic.file;
      if (!file || diagnostic.start === undefined) continue;
      const at = file.getLineAndCharacterOfPosition(diagnostic.start);
      const position: Position | undefined = normalized.checkable.toOriginal({ line: at.line + 1, column: at.character + 1 });
      if (!position) continue;
      // Related information carries TypeScript's own hints, such as "Did you forget to use 'await'?".
      const related = (diagnostic.relatedInformation ?? []).map((info) => ts.flattenDiagnosticMessageText(info.messageText, ' '));
      const message = [ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '), ...related.filter((text) => !text.startsWith("'"))].join(' ');
      out.push({ code: diagnostic.code, message, ...position });
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  /** The program with `text` as the code, unchecked, to read the types it names (a module's exports). */
  load(text: string): { program: TypeScript.Program; file: TypeScript.SourceFile } | undefined {
    this.code = text;
    this.version = ++versions;
    return this.checked();
  }

  /** The program and file of the last check, to read the types in the checked code (workflow signatures). */
  checked(): { program: TypeScript.Program; file: TypeScript.SourceFile } | undefined {
    const program = this.service.getProgram();
    const file = program?.getSourceFile(CODE_FILE);
    return program && file ? { program, file } : undefined;
  }
}
