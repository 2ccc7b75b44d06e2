// Ranked search over a tool catalog, so a model facing many tools can ask for the few it needs and get
// their declarations (from the one declarations printer) instead of reading the whole API.
//
// Ranking, deterministic and in this order of tiers:
//   4  the query is the tool's name or its full name (`readFile`, `fs.readFile`)
//   3  the query is a prefix of the name or the full name (`read`, `fs.re`)
//   2  a query word is a word of the full name (`file` in `fs.readFile`)
//   1  a query word is a word of the description or of a field name in the input schema
// Names, descriptions and queries are split into lower-case words at `snake_case`, `camelCase`,
// `kebab-case`, dots and spaces, so `read_file`, `readFile`, `READ-FILE` and `read file` are one query.
// Two words match when they are equal up to a simple plural (`file`/`files`, `entry`/`entries`,
// `match`/`matches`), or when a query word of three letters or more starts the other (`dir`/`directory`).
// Every query word counts: within a tier, more query words in the name rank higher, then more query words
// found anywhere. A few filler words (`a`, `the`, `to`, ...) are ignored unless the query has nothing else.
//
//   score = 100 × tier + 10 × (query words in the name, at most 9) + (query words found anywhere, at most 9)
//
// Tools that match nothing are left out. Equal scores are ordered by full name (code-unit order, so the
// result does not depend on the locale). A query with no letters or digits (empty, blank) lists every tool
// by name with score 0, so a model can browse the catalog.
import { CodemodeError, describeValue } from '../errors.js';
import { checkEntry, printDeclarations, type ToolEntry } from '../types/declarations.js';
import { isSchemaObject } from '../types/json-schema.js';

export interface SearchHit {
  /** The full name the model calls, e.g. `fs.readFile`. */
  readonly name: string;
  readonly description: string;
  /** See the ranking above; higher is better. */
  readonly score: number;
  /** The declaration text for this tool alone: its types and its place in `codemode`. */
  readonly declaration: string;
}

export interface SearchOptions {
  /** The most hits returned. Default `DEFAULT_SEARCH_LIMIT` (10). */
  readonly limit?: number | undefined;
}

export const DEFAULT_SEARCH_LIMIT = 10;
/**
 * The longest query, in characters. Search runs on the host's main thread; this cap (with repeated words
 * counted once) bounds its work to a few hundred words against each tool's words.
 */
export const MAX_QUERY_CHARS = 500;

const STOP_WORDS = new Set(['a', 'an', 'and', 'by', 'for', 'from', 'in', 'into', 'is', 'of', 'on', 'or', 'the', 'to', 'with']);
/** How deep field names are gathered from an input schema: nested objects, items, unions, `$defs`. */
const MAX_FIELD_DEPTH = 4;

interface Indexed {
  readonly entry: ToolEntry;
  readonly name: string;
  readonly toolWords: readonly string[];
  readonly nameWords: readonly string[];
  readonly textWords: readonly string[];
}

/**
 * The tools in `entries` that match `query`, best first, at most `limit` of them. Throws `CodemodeError`
 * (`INVALID_OPTION`) for a query that is not a string or is longer than MAX_QUERY_CHARS, or a limit that is not a positive integer, and
 * (`INVALID_TOOL`) for an entry of the wrong shape.
 */
export function searchTools(entries: readonly ToolEntry[], query: string, options: SearchOptions = {}): SearchHit[] {
  if (typeof query !== 'string') throw new CodemodeError('INVALID_OPTION', `expected \`query\` to be a string, got ${describeValue(query)}`);
  if (query.length > MAX_QUERY_CHARS) {
    throw new CodemodeError('INVALID_OPTION', `expected \`query\` to be at most ${MAX_QUERY_CHARS} characters, got ${query.length}`);
  }
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new CodemodeError('INVALID_OPTION', `expected \`limit\` to be a positive integer, got ${describeValue(limit)}`);
  }
  if (!Array.isArray(entries)) throw new CodemodeError('INVALID_TOOL', `expected the tool entries to be an array, got ${describeValue(entries)}`);
  entries.forEach(checkEntry);
  const indexed = entries.map(index);
  const queryWords = [...new Set(words(query))];
  const scored = indexed
    .map((tool) => ({ tool, score: queryWords.length === 0 ? 0 : score(tool, queryWords) }))
    .filter(({ score }) => queryWords.length === 0 || score > 0)
    .sort((a, b) => b.score - a.score || compareCodeUnits(a.tool.name, b.tool.name));
  return scored.slice(0, limit).map(({ tool, score }) => ({
    name: tool.name,
    description: tool.entry.description,
    score,
    declaration: printDeclarations([tool.entry]),
  }));
}

function index(entry: ToolEntry): Indexed {
  const fields = new Set<string>();
  collectFieldNames(entry.inputSchema, fields, 0);
  return {
    entry,
    name: entry.path.join('.'),
    toolWords: words(entry.path.at(-1)!),
    nameWords: entry.path.flatMap(words),
    textWords: [...words(entry.description), ...[...fields].flatMap(words)],
  };
}

function score(tool: Indexed, queryWords: readonly string[]): number {
  const query = meaningful(queryWords);
  const compactQuery = query.join('');
  const names = [tool.toolWords, tool.nameWords];
  let tier = 0;
  if (names.some((name) => compactQuery === name.join('') || sameWords(query, meaningful(name)))) tier = 4;
  else if (names.some((name) => name.join('').startsWith(compactQuery))) tier = 3;
  const inName = new Set(query.filter((word) => tool.nameWords.some((other) => wordsMatch(word, other))));
  const anywhere = new Set(query.filter((word) => inName.has(word) || tool.textWords.some((other) => wordsMatch(word, other))));
  if (tier === 0) tier = inName.size > 0 ? 2 : anywhere.size > 0 ? 1 : 0;
  if (tier === 0) return 0;
  return 100 * tier + 10 * Math.min(inName.size, 9) + Math.min(anywhere.size, 9);
}

/** The words without filler words, unless nothing else is left. */
function meaningful(list: readonly string[]): readonly string[] {
  const kept = list.filter((word) => !STOP_WORDS.has(word));
  return kept.length > 0 ? kept : list;
}

/**
 * Lower-case words of `text`, split at case changes (`readFile`, `HTTPServer`), digits-to-letters and any
 * character that is not a letter or digit (`_`, `-`, `.`, spaces).
 */
export function words(text: string): string[] {
  return text
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, position) => samePlural(word, b[position]!));
}

function wordsMatch(queryWord: string, word: string): boolean {
  return samePlural(queryWord, word) || (queryWord.length >= 3 && word.startsWith(queryWord));
}

/** Equal, or one is the other with `s`, `es`, or `y` → `ies`. */
function samePlural(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return long === short + 's' || long === short + 'es' || (short.endsWith('y') && long === short.slice(0, -1) + 'ies');
}

function collectFieldNames(schema: unknown, into: Set<string>, depth: number): void {
  if (!isSchemaObject(schema) || depth > MAX_FIELD_DEPTH) return;
  for (const key of ['properties', '$defs', 'definitions']) {
    const members = schema[key];
    if (!isSchemaObject(members)) continue;
    for (const [name, member] of Object.entries(members)) {
      if (key === 'properties') into.add(name);
      collectFieldNames(member, into, depth + 1);
    }
  }
  for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const child = schema[key];
    for (const member of Array.isArray(child) ? child : [child]) collectFieldNames(member, into, depth + 1);
  }
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
