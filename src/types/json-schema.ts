// The JSON Schema shape the declarations printer reads, and a schema document that resolves `$ref`s.
// Schemas come from zod and from upstream MCP servers (draft-07, 2019-09, 2020-12, OpenAPI-flavoured), so
// every reader here is defensive: a keyword of the wrong type is ignored, never trusted and never thrown on.

/** A JSON Schema: `true` (anything), `false` (nothing) or a schema object. Keywords are read defensively. */
export type JsonSchema = boolean | JsonSchemaObject;

/** A JSON Schema object. Only the keywords the printer reads are listed; any other key is allowed. */
export interface JsonSchemaObject {
  readonly [keyword: string]: unknown;
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema | readonly JsonSchema[];
  readonly $ref?: string;
  readonly $defs?: Readonly<Record<string, JsonSchema>>;
}

export function isSchemaObject(value: unknown): value is JsonSchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keyword if it is a string, else undefined. */
export function stringKeyword(schema: JsonSchemaObject, key: string): string | undefined {
  const value = schema[key];
  return typeof value === 'string' ? value : undefined;
}

/** The keyword if it is a finite number, else undefined. */
export function numberKeyword(schema: JsonSchemaObject, key: string): number | undefined {
  const value = schema[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The keyword if it is an array, else undefined. */
export function arrayKeyword(schema: JsonSchemaObject, key: string): readonly unknown[] | undefined {
  const value = schema[key];
  return Array.isArray(value) ? value : undefined;
}

/** The keyword if it is a plain object (e.g. `properties`), else undefined. */
export function objectKeyword(schema: JsonSchemaObject, key: string): Readonly<Record<string, unknown>> | undefined {
  const value = schema[key];
  return isSchemaObject(value) ? value : undefined;
}

/** A value that can stand where a schema is expected: `true`, `false` or an object. */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || isSchemaObject(value);
}

/** A `$ref` resolved inside its document: the pointer that names it and the schema it points at. */
export interface ResolvedRef {
  /** `''` for the document root, else a JSON pointer such as `/$defs/Node`. */
  readonly pointer: string;
  readonly schema: JsonSchema;
}

const MAX_WALK_DEPTH = 64;

/**
 * One schema document: the root a tool's input or output schema starts from. Resolves local references:
 * `#`, JSON pointers (`#/$defs/A`, `#/definitions/A`, `#/properties/x`), anchors (`#name` via `$anchor` or a
 * draft-07 `$id: "#name"`) and `$id`s declared inside the document. Anything else (a remote URL) is
 * unresolvable, and the printer shows it as `unknown`.
 */
export class SchemaDocument {
  private anchors: Map<string, ResolvedRef> | undefined;

  constructor(readonly root: JsonSchema) {}

  resolve(ref: string): ResolvedRef | undefined {
    if (ref === '#' || ref === '') return { pointer: '', schema: this.root };
    if (ref.startsWith('#/')) return this.resolvePointer(ref.slice(1));
    const rootId = isSchemaObject(this.root) ? stringKeyword(this.root, '$id') : undefined;
    if (rootId !== undefined && ref.startsWith(rootId + '#/')) return this.resolvePointer(ref.slice(rootId.length + 1));
    if (rootId !== undefined && (ref === rootId || ref === rootId + '#')) return { pointer: '', schema: this.root };
    return this.anchorIndex().get(ref);
  }

  private resolvePointer(pointer: string): ResolvedRef | undefined {
    let node: unknown = this.root;
    // Rebuilt from decoded segments so `#/$defs/a%20b` and `#/$defs/a b` name the same target.
    let canonical = '';
    for (const raw of pointer.split('/').slice(1)) {
      let segment: string;
      try {
        segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
      } catch {
        return undefined;
      }
      if (Array.isArray(node)) node = /^\d+$/.test(segment) ? node[Number(segment)] : undefined;
      else if (isSchemaObject(node) && Object.hasOwn(node, segment)) node = node[segment];
      else return undefined;
      canonical += '/' + escapePointerSegment(segment);
    }
    return isSchema(node) ? { pointer: canonical, schema: node } : undefined;
  }

  /** `$anchor` and `$id` values found anywhere in the document, mapped to where they sit. */
  private anchorIndex(): Map<string, ResolvedRef> {
    if (this.anchors) return this.anchors;
    const anchors = new Map<string, ResolvedRef>();
    const seen = new WeakSet<object>();
    const walk = (node: unknown, pointer: string, depth: number): void => {
      if (depth > MAX_WALK_DEPTH || typeof node !== 'object' || node === null || seen.has(node)) return;
      seen.add(node);
      if (Array.isArray(node)) {
        node.forEach((child, index) => walk(child, `${pointer}/${index}`, depth + 1));
        return;
      }
      const schema = node as JsonSchemaObject;
      const anchor = stringKeyword(schema, '$anchor');
      const id = stringKeyword(schema, '$id');
      if (anchor !== undefined && !anchors.has('#' + anchor)) anchors.set('#' + anchor, { pointer, schema });
      if (id !== undefined && pointer !== '' && !anchors.has(id)) anchors.set(id, { pointer, schema });
      for (const [key, child] of Object.entries(schema)) {
        // `const`, `enum`, `default` and `examples` hold data, not schemas: an `$id` there means nothing.
        if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
        walk(child, `${pointer}/${escapePointerSegment(key)}`, depth + 1);
      }
    };
    walk(this.root, '', 0);
    this.anchors = anchors;
    return anchors;
  }
}

function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The last segment of a JSON pointer, decoded, with the segment before it: `/$defs/Node` → `['$defs', 'Node']`. */
export function lastPointerSegments(pointer: string): [parent: string | undefined, last: string | undefined] {
  const segments = pointer.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  return [segments.at(-2), segments.at(-1)];
}
