// A module's exports as the model reads them in `search` (src/modules/search.ts): one line per export from
// the module's own declarations, `format(date: DateArg<Date> & {}, formatStr: string, options?: FormatOptions): string`.
// Runs in a preparation worker (the declarations of a large library take seconds to load), with a checker
// whose declarations name the module's types (see moduleTypesLine).
import { typescript } from '../normalize/typescript.js';
import type { TypeChecker } from './check.js';

/** Exports read at most, and the longest line kept (a longer one is cut with '…'). */
const MAX_EXPORTS = 400;
const MAX_SIGNATURE_CHARS = 240;
/** Overloads shown per export; more are counted. */
const MAX_OVERLOADS = 3;

/** The namespace the module is imported as; the printer qualifies the module's own types with it, which is cut. */
const LOCAL = '__module';

/** Each value export of `name` (types left out) → its signature line; empty when the module has no declarations. */
export function moduleSignatures(checker: TypeChecker, name: string): Record<string, string> {
  const ts = typescript();
  const loaded = checker.load(`import * as ${LOCAL} from ${JSON.stringify(name)};\n`);
  const statement = loaded?.file.statements[0];
  if (!loaded || !statement || !ts.isImportDeclaration(statement)) return {};
  const types = loaded.program.getTypeChecker();
  const symbol = types.getSymbolAtLocation(statement.moduleSpecifier);
  if (!symbol) return {};
  const signatures: Record<string, string> = {};
  for (const exported of types.getExportsOfModule(symbol).slice(0, MAX_EXPORTS)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? types.getAliasedSymbol(exported) : exported;
    if (!(target.flags & ts.SymbolFlags.Value)) continue;
    const type = types.getTypeOfSymbolAtLocation(target, statement);
    const calls = type.getCallSignatures();
    const flags = ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
    // Of several overloads a few are shown, those that return something first (papaparse's `parse(text)`
    // before its callback forms that return void), shortest first.
    const overloads = calls
      .map((signature) => ({ text: types.signatureToString(signature, statement, flags), returnsNothing: (types.getReturnTypeOfSignature(signature).flags & ts.TypeFlags.Void) !== 0 }))
      .sort((a, b) => Number(a.returnsNothing) - Number(b.returnsNothing) || a.text.length - b.text.length)
      .map(({ text }) => clip(`${exported.name}${text}`.replaceAll(`${LOCAL}.`, '')));
    const shown = overloads.slice(0, MAX_OVERLOADS);
    if (overloads.length > shown.length) shown[shown.length - 1] += `; (+${overloads.length - shown.length} more overloads)`;
    const line = calls.length > 0 ? shown.join(';\n') : clip(`${exported.name}: ${types.typeToString(type, statement, flags)}`.replaceAll(`${LOCAL}.`, ''));
    signatures[exported.name] = line;
  }
  return signatures;
}

function clip(line: string): string {
  return line.length > MAX_SIGNATURE_CHARS ? `${line.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : line;
}
