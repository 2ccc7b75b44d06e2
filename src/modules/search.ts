// Modules in `search` results: a query that names a module, or words of its exports, finds the module with
// the exports that match first (a library such as date-fns has hundreds). Scored on the tools' scale
// (src/tools/search.ts): the module's name is tier 4, an export's whole name tier 3, a word of one tier 2.
import type { SearchHit } from '../tools/search.js';
import { words } from '../tools/search.js';
import type { LoadedModule } from './modules.js';

/** Exports shown with their signatures in one hit at most, then named only, then counted. */
const MAX_SIGNATURES = 6;
const MAX_NAMED_EXPORTS = 24;

export function moduleHits(modules: readonly LoadedModule[], query: string): SearchHit[] {
  const queryWords = [...new Set(words(query))];
  const compact = queryWords.join('');
  const hits: SearchHit[] = [];
  for (const module of modules) {
    const names = module.exports.map((entry) => entry.name).filter((name) => name !== 'default' && name !== '__esModule');
    const matching = names
      .map((name) => ({ name, closeness: closeness(name, queryWords, compact) }))
      .filter(({ closeness }) => closeness > 0)
      .sort((a, b) => b.closeness - a.closeness)
      .map(({ name }) => name);
    let tier = 0;
    if (queryWords.length === 0) tier = 0;
    else if (words(module.name).join('') === compact) tier = 4;
    else if (names.some((name) => name.toLowerCase() === compact)) tier = 3;
    else if (matching.length > 0) tier = 2;
    else continue;
    const found = new Set(queryWords.filter((word) => matching.some((name) => words(name).some((other) => other.startsWith(word)))));
    hits.push({
      name: module.name,
      description: `Module ${module.name} ${module.version}: import it in the code.`,
      score: tier === 0 ? 0 : 100 * tier + Math.min(found.size, 9),
      declaration: declaration(module, [...matching, ...names.filter((name) => !matching.includes(name))]),
    });
  }
  return hits;
}

/**
 * How well an export's name matches: 3 the query itself, 2 it starts with the query (`formatDistance` for
 * `format distance`), 1 a word of it matches a query word; 0 not at all. Ties keep the module's order.
 */
function closeness(name: string, queryWords: readonly string[], compact: string): number {
  const lower = name.toLowerCase();
  if (lower === compact) return 3;
  if (compact.length >= 3 && lower.startsWith(compact)) return 2;
  const exportWords = words(name);
  return queryWords.some((word) => exportWords.some((other) => other === word || (word.length >= 3 && other.startsWith(word)))) ? 1 : 0;
}

/**
 * How the model reads a module hit: how to import it, the signatures of the best exports (those matching the
 * query first), then the names of more.
 */
function declaration(module: LoadedModule, names: string[]): string {
  const signatures = new Map(module.exports.map((entry) => [entry.name, entry.signature]));
  const typed = names.filter((name) => signatures.get(name)).slice(0, MAX_SIGNATURES);
  const rest = names.filter((name) => !typed.includes(name));
  const shown = rest.slice(0, MAX_NAMED_EXPORTS);
  const more = rest.length > shown.length ? ` (and ${rest.length - shown.length} more)` : '';
  const hasDefault = module.exports.some((entry) => entry.name === 'default');
  const first = names.slice(0, 2);
  const forms = [hasDefault ? `import ${identifier(module.name)} from '${module.name}'` : undefined, first.length > 0 ? `import { ${first.join(', ')} } from '${module.name}'` : undefined].filter(Boolean);
  const lines = [`// module ${module.name} ${module.version}: ${forms.join('; ')}`, ...typed.map((name) => `${signatures.get(name)!};`)];
  if (shown.length > 0) lines.push(`// ${typed.length > 0 ? 'more exports' : 'exports'}: ${shown.join(', ')}${more}`);
  return `${lines.join('\n')}\n`;
}

/** `date-fns` → `dateFns`, `@scope/name` → `name`. */
function identifier(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.replace(/[^A-Za-z0-9]+(.)/g, (_, next: string) => next.toUpperCase()).replace(/^[^A-Za-z_$]+/, '') || 'module';
}
