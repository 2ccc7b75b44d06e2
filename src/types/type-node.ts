// A tiny TypeScript type AST between JSON Schema and text. Converting to a tree first lets the printer
// simplify (flatten unions, drop `unknown` from intersections), break alias cycles and choose a layout
// (one line or several) without re-reading the schema. Builders here normalize; they never print.
import type { Doc } from './jsdoc.js';

export type KeywordName = 'string' | 'number' | 'boolean' | 'null' | 'undefined' | 'unknown' | 'never';

export type TypeNode =
  | { readonly kind: 'keyword'; readonly name: KeywordName }
  /** `text` is already valid TypeScript (a JSON string, number, `true`, ...); `primitive` is its base type. */
  | { readonly kind: 'literal'; readonly text: string; readonly primitive: KeywordName }
  | RefNode
  | { readonly kind: 'array'; readonly element: TypeNode }
  | { readonly kind: 'tuple'; readonly elements: readonly TupleElement[]; readonly rest: TypeNode | undefined }
  | ObjectNode
  | { readonly kind: 'union'; readonly types: readonly TypeNode[] }
  | { readonly kind: 'intersection'; readonly types: readonly TypeNode[] };

export interface TupleElement {
  readonly type: TypeNode;
  readonly optional: boolean;
}

export interface ObjectNode {
  readonly kind: 'object';
  readonly members: readonly Member[];
  /** The value type of a `[key: string]: T` index signature, when the object allows other keys. */
  readonly index: TypeNode | undefined;
}

export interface Member {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeNode;
  readonly doc: Doc | undefined;
}

/** A named declaration. `cut` is set after the fact on a reference that closes an alias cycle TypeScript
 * rejects (`type A = B | string; type B = A | number`); a cut reference prints as `unknown`. */
export interface RefNode {
  readonly kind: 'ref';
  readonly name: string;
  cut: boolean;
}

export const UNKNOWN: TypeNode = { kind: 'keyword', name: 'unknown' };
export const NEVER: TypeNode = { kind: 'keyword', name: 'never' };

export function keyword(name: KeywordName): TypeNode {
  return { kind: 'keyword', name };
}

export function refTo(name: string): RefNode {
  return { kind: 'ref', name, cut: false };
}

export function isKeyword(node: TypeNode, name: KeywordName): boolean {
  return node.kind === 'keyword' && node.name === name;
}

/** `A | B`, flattened and deduplicated; `unknown` absorbs everything, `never` disappears. */
export function union(types: readonly TypeNode[]): TypeNode {
  const flat: TypeNode[] = [];
  const seen = new Set<string>();
  for (const type of types.flatMap((t) => (t.kind === 'union' ? t.types : [t]))) {
    if (isKeyword(type, 'unknown')) return UNKNOWN;
    if (isKeyword(type, 'never')) continue;
    const key = identity(type);
    if (key !== undefined && seen.has(key)) continue;
    if (key !== undefined) seen.add(key);
    flat.push(type);
  }
  if (flat.length === 0) return NEVER;
  return flat.length === 1 ? flat[0]! : { kind: 'union', types: flat };
}

/**
 * `A & B`, flattened; `unknown` disappears, `never` absorbs everything. A primitive keyword next to
 * literals of that primitive is dropped, so `{ type: 'string', anyOf: [{ const: 'a' }] }` prints `"a"`.
 */
export function intersection(types: readonly TypeNode[]): TypeNode {
  const flat: TypeNode[] = [];
  const seen = new Set<string>();
  for (const type of types.flatMap((t) => (t.kind === 'intersection' ? t.types : [t]))) {
    if (isKeyword(type, 'never')) return NEVER;
    if (isKeyword(type, 'unknown')) continue;
    const key = identity(type);
    if (key !== undefined && seen.has(key)) continue;
    if (key !== undefined) seen.add(key);
    flat.push(type);
  }
  const narrowed = flat.filter(
    (type) => !(type.kind === 'keyword' && flat.some((other) => other !== type && onlyLiteralsOf(other, type.name))),
  );
  if (narrowed.length === 0) return UNKNOWN;
  return narrowed.length === 1 ? narrowed[0]! : { kind: 'intersection', types: narrowed };
}

function onlyLiteralsOf(node: TypeNode, primitive: KeywordName): boolean {
  if (node.kind === 'literal') return node.primitive === primitive;
  if (node.kind === 'union') return node.types.every((type) => onlyLiteralsOf(type, primitive));
  return false;
}

/** A key for deduplicating simple members; compound types are kept as they come. */
function identity(node: TypeNode): string | undefined {
  if (node.kind === 'keyword') return `k:${node.name}`;
  if (node.kind === 'literal') return `l:${node.text}`;
  if (node.kind === 'ref') return `r:${node.name}`;
  return undefined;
}
