// The named types of one printed text: each tool's input/output type and every `$ref` target (`$defs`,
// `definitions`, any local pointer). It gives each a collision-free name, shares one declaration between
// tools whose definitions are identical, declares once an object type that is written out in several
// places (upstream MCP schemas inline what they share), cuts alias cycles TypeScript would reject, and
// renders them in a stable order: a type's dependencies come before it, so the text reads top to bottom.
import { convertSchema, type ConvertContext } from './convert.js';
import { docFromSchema, renderDoc, type Doc } from './jsdoc.js';
import { isSchemaObject, lastPointerSegments, SchemaDocument, stringKeyword, type JsonSchema, type ResolvedRef } from './json-schema.js';
import { NameAllocator, typeName } from './names.js';
import { afterColon, renderFlat, renderMembers, renderType } from './render.js';
import { intersection, refTo, union, UNKNOWN, type ObjectNode, type RefNode, type TypeNode } from './type-node.js';

/**
 * The rule for a tool's input or output type: it is written inline in the signature when it fits on one
 * line of at most INLINE_WIDTH characters with at most INLINE_MEMBERS properties in all (so no property
 * has a description: a documented property never prints on one line); otherwise it is a named interface.
 * `{ path: string }` costs fewer tokens inline than as `interface ReadInput { path: string; }` plus its
 * name, and reads as well; a wider or documented type reads better, and costs less, under its own name.
 */
const INLINE_WIDTH = 60;
const INLINE_MEMBERS = 3;
/** An inline object type with at least this many members, written out twice or more, is declared once. */
const MIN_SHARED_MEMBERS = 2;
/** zod names the definitions it has to invent (for recursion) `__schema0`, `__schema1`, ... */
const GENERATED_DEF = /^__schema\d+$/;

interface Declaration {
  readonly name: string;
  node: TypeNode;
  readonly doc: Doc | undefined;
}

/** What one root schema's references resolve against. */
interface Scope {
  readonly document: SchemaDocument;
  readonly rootName: string;
  readonly ownerBase: string;
  rootReferenced: boolean;
  /** Pointer → declared name, so each target in this document is converted once. */
  readonly names: Map<string, string>;
}

export class NamedTypes {
  readonly names = new NameAllocator();
  private readonly declarations: Declaration[] = [];
  /** Preferred name + the definition's closure → the name it was declared under. */
  private readonly shared = new Map<string, string>();

  /**
   * Converts a tool's input or output schema. Returns the type to use in the signature: a reference to
   * `name` (now declared), or the type itself when it is short and plain enough to read inline.
   */
  root(schema: JsonSchema, name: string, ownerBase: string): TypeNode {
    const scope: Scope = { document: new SchemaDocument(schema), rootName: name, ownerBase, rootReferenced: false, names: new Map() };
    const node = convertSchema(schema, this.contextFor(scope));
    const doc = docFromSchema(schema);
    const flat = renderFlat(node);
    const inline = !scope.rootReferenced && !doc && flat !== undefined && flat.length <= INLINE_WIDTH && memberCount(node) <= INLINE_MEMBERS;
    if (inline) return node;
    this.declarations.push({ name, node, doc });
    return refTo(name);
  }

  /** The declarations, each rendered with its doc, in dependency order. */
  render(): string[] {
    this.shareRepeatedObjects();
    this.cutAliasCycles();
    return this.declarations.map(({ name, node, doc }) => {
      const lines = renderDoc(doc, '');
      if (node.kind !== 'object') lines.push(`type ${name} =${afterColon(renderType(node, '', name.length + 8))};`);
      else if (node.members.length === 0 && !node.index) lines.push(`interface ${name} {}`);
      else lines.push(`interface ${name} {`, ...renderMembers(node, '  '), '}');
      return lines.join('\n');
    });
  }

  private contextFor(scope: Scope): ConvertContext {
    return { reference: (ref, hint) => this.reference(scope, ref, hint) };
  }

  private reference(scope: Scope, ref: string, hint: string | undefined): TypeNode {
    const target = scope.document.resolve(ref);
    if (!target) return UNKNOWN;
    if (target.pointer === '') {
      scope.rootReferenced = true;
      return refTo(scope.rootName);
    }
    const known = scope.names.get(target.pointer);
    if (known !== undefined) return refTo(known);
    const preferred = preferredName(target, hint, scope.ownerBase);
    const key = `${preferred}\u0000${closureKey(scope.document, target)}`;
    const existing = this.shared.get(key);
    if (existing !== undefined) {
      scope.names.set(target.pointer, existing);
      return refTo(existing);
    }
    // A name from a schema yields to the library's globals and to names already given, first by taking
    // its tool's name as a prefix (`SearchOptions`), then by a number.
    const name = this.names.isFree(preferred) ? this.names.take(preferred) : this.names.take(scope.ownerBase + preferred);
    this.shared.set(key, name);
    // Registered before converting, so a recursive definition finds its own name.
    scope.names.set(target.pointer, name);
    const node = convertSchema(target.schema, this.contextFor(scope));
    this.declarations.push({ name, node, doc: docFromSchema(target.schema) });
    return refTo(name);
  }

  /**
   * An object type written out in full in two places or more (the same members, types and docs) is
   * declared once, named after the field it first sits in, singular for array items (`entities: Entity[]`),
   * and placed before its first user. One without a field name to go by stays inline.
   */
  private shareRepeatedObjects(): void {
    const counts = new Map<string, number>();
    for (const declaration of this.declarations) {
      walkNested(declaration.node, undefined, (node) => {
        const key = objectKey(node);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      });
    }
    if (![...counts.values()].some((count) => count > 1)) return;
    const shared = new Map<string, string>();
    const ordered: Declaration[] = [];
    const replace = (node: TypeNode, hint: string | undefined): TypeNode => {
      if (node.kind === 'object') {
        const key = node.members.length >= MIN_SHARED_MEMBERS ? objectKey(node) : undefined;
        const rebuilt: ObjectNode = { ...node, members: node.members.map((member) => ({ ...member, type: replace(member.type, member.name) })), index: node.index && replace(node.index, undefined) };
        if (key === undefined || (counts.get(key) ?? 0) < 2 || hint === undefined) return rebuilt;
        let name = shared.get(key);
        if (name === undefined) {
          name = this.names.take(typeName([hint], 'Item'));
          shared.set(key, name);
          ordered.push({ name, node: rebuilt, doc: undefined });
        }
        return refTo(name);
      }
      switch (node.kind) {
        case 'array':
          return { kind: 'array', element: replace(node.element, hint === undefined ? undefined : singular(hint)) };
        case 'tuple':
          return { kind: 'tuple', elements: node.elements.map((element) => ({ ...element, type: replace(element.type, hint) })), rest: node.rest && replace(node.rest, hint) };
        case 'union':
        case 'intersection':
          return { kind: node.kind, types: node.types.map((type) => replace(type, hint)) };
        default:
          return node;
      }
    };
    for (const declaration of this.declarations) {
      // The declaration's own top-level object is already named; only what is nested in it is shared.
      const node = declaration.node;
      const rebuilt =
        node.kind === 'object'
          ? { ...node, members: node.members.map((member) => ({ ...member, type: replace(member.type, member.name) })), index: node.index && replace(node.index, undefined) }
          : replace(node, undefined);
      ordered.push({ ...declaration, node: rebuilt });
    }
    this.declarations.splice(0, this.declarations.length, ...ordered);
  }

  /**
   * `type A = B | string; type B = A | number` does not compile: an alias may only refer to itself through
   * an object, array or tuple. The reference that closes such a cycle is dropped from its union or
   * intersection. For `anyOf` that keeps the meaning (a value must match some branch that is not the cycle);
   * an `allOf` that contains itself constrains nothing more by doing so.
   */
  private cutAliasCycles(): void {
    const byName = new Map(this.declarations.map((declaration) => [declaration.name, declaration]));
    const state = new Map<string, 'active' | 'done'>();
    const visit = (name: string): void => {
      const declaration = byName.get(name);
      if (!declaration || state.has(name)) return;
      state.set(name, 'active');
      for (const ref of directRefs(declaration.node)) {
        if (state.get(ref.name) === 'active') ref.cut = true;
        else visit(ref.name);
      }
      state.set(name, 'done');
    };
    for (const declaration of this.declarations) visit(declaration.name);
    for (const declaration of this.declarations) declaration.node = withoutCuts(declaration.node) ?? UNKNOWN;
  }
}

/** Calls `visit` for every object type with enough members nested in `node` (not `node` itself when it is one). */
function walkNested(node: TypeNode, hint: string | undefined, visit: (node: ObjectNode) => void, depth = 0): void {
  if (depth > 64) return;
  const inner = (child: TypeNode) => {
    if (child.kind === 'object' && child.members.length >= MIN_SHARED_MEMBERS) visit(child);
    walkNested(child, hint, visit, depth + 1);
  };
  switch (node.kind) {
    case 'object':
      for (const member of node.members) inner(member.type);
      if (node.index) inner(node.index);
      return;
    case 'array':
      return inner(node.element);
    case 'tuple':
      for (const element of node.elements) inner(element.type);
      if (node.rest) inner(node.rest);
      return;
    case 'union':
    case 'intersection':
      for (const type of node.types) inner(type);
      return;
    default:
      return;
  }
}

/** Two object types are the same when they print the same, docs included. */
function objectKey(node: ObjectNode): string {
  return renderType(node, '', 0);
}

/** The name of one item of a list field: `entities` → `entity`, `relations` → `relation`, `status` stays. */
function singular(name: string): string {
  if (/ies$/i.test(name)) return name.slice(0, -3) + 'y';
  if (/(ss|us|is)$/i.test(name) || !/s$/i.test(name)) return name;
  return name.slice(0, -1);
}

/** References an alias resolves eagerly: itself, or through union and intersection members. */
function directRefs(node: TypeNode): RefNode[] {
  if (node.kind === 'ref') return node.cut ? [] : [node];
  if (node.kind === 'union' || node.kind === 'intersection') return node.types.flatMap(directRefs);
  return [];
}

/** The node with cut references removed from unions and intersections; undefined for a cut reference. */
function withoutCuts(node: TypeNode): TypeNode | undefined {
  if (node.kind === 'ref') return node.cut ? undefined : node;
  if (node.kind !== 'union' && node.kind !== 'intersection') return node;
  const kept = node.types.map(withoutCuts).filter((type): type is TypeNode => type !== undefined);
  // A union left with nothing but its own cycle is shown as `unknown`: lenient, never wrongly strict.
  if (kept.length === 0) return UNKNOWN;
  return node.kind === 'union' ? union(kept) : intersection(kept);
}

/** Properties (and index signatures) of every object type in `node`, nested ones included. */
function memberCount(node: TypeNode): number {
  switch (node.kind) {
    case 'object':
      return node.members.length + (node.index ? 1 : 0) + node.members.reduce((sum, member) => sum + memberCount(member.type), 0) + (node.index ? memberCount(node.index) : 0);
    case 'array':
      return memberCount(node.element);
    case 'tuple':
      return node.elements.reduce((sum, element) => sum + memberCount(element.type), 0) + (node.rest ? memberCount(node.rest) : 0);
    case 'union':
    case 'intersection':
      return node.types.reduce((sum, type) => sum + memberCount(type), 0);
    default:
      return 0;
  }
}

/**
 * What a reference target should be called: its `$defs` / `definitions` key, else its `title`, else the
 * property it sits under, else the property it was first used from, else `<Tool>Type`.
 */
function preferredName(target: ResolvedRef, hint: string | undefined, ownerBase: string): string {
  const [parent, last] = lastPointerSegments(target.pointer);
  const title = isSchemaObject(target.schema) ? stringKeyword(target.schema, 'title') : undefined;
  let raw: string | undefined;
  if ((parent === '$defs' || parent === 'definitions') && last !== undefined && !GENERATED_DEF.test(last)) raw = last;
  else if (title !== undefined) raw = title;
  else if (parent === 'properties') raw = last;
  else raw = hint;
  const name = typeName([raw ?? ''], '');
  return name === '' ? `${ownerBase}Type` : /^[0-9]/.test(name) ? `${ownerBase}${name}` : name;
}

/**
 * Two definitions are the same type when they and everything they reference are equal, so the key is the
 * canonical JSON of that whole closure, by pointer.
 */
function closureKey(document: SchemaDocument, target: ResolvedRef): string {
  const closure = new Map<string, JsonSchema>();
  const pending = [target];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (closure.has(next.pointer)) continue;
    closure.set(next.pointer, next.schema);
    for (const ref of refsIn(next.schema)) {
      const resolved = document.resolve(ref);
      if (resolved) pending.push(resolved);
    }
  }
  return canonicalJson([...closure].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function refsIn(schema: unknown): string[] {
  const refs: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (node: unknown, depth: number): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || depth > 64) return;
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && (key === '$ref' || key === '$recursiveRef' || key === '$dynamicRef')) refs.push(value);
      else if (key !== 'const' && key !== 'enum' && key !== 'default' && key !== 'examples') walk(value, depth + 1);
    }
  };
  walk(schema, 0);
  return refs;
}

let uncomparable = 0;

/**
 * JSON with object keys sorted, so key order does not make two equal schemas look different. A value JSON
 * cannot hold (a BigInt in an in-memory schema) gets a key equal to nothing else: it is never shared.
 */
function canonicalJson(value: unknown): string {
  const seen = new WeakSet<object>();
  const sort = (node: unknown, depth: number): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    if (seen.has(node) || depth > 64) return '[cycle]';
    seen.add(node);
    const result = Array.isArray(node)
      ? node.map((item) => sort(item, depth + 1))
      : Object.fromEntries(Object.keys(node).sort().map((key) => [key, sort((node as Record<string, unknown>)[key], depth + 1)]));
    seen.delete(node);
    return result;
  };
  try {
    return JSON.stringify(sort(value, 0)) ?? 'undefined';
  } catch {
    return `\u0001${++uncomparable}`;
  }
}
