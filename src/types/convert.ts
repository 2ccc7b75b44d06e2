// JSON Schema → TypeNode, for any schema a tool may bring: zod's output, draft-07 and 2020-12 documents
// from upstream servers, OpenAPI's `nullable`. It never throws on a schema: what it cannot express becomes
// `unknown`, which is always a safe (if loose) answer. References are handed to the caller's `reference`,
// which decides how a named type is declared; this module only builds the tree.
import { docFromSchema } from './jsdoc.js';
import {
  arrayKeyword,
  isSchema,
  isSchemaObject,
  numberKeyword,
  objectKeyword,
  stringKeyword,
  type JsonSchemaObject,
} from './json-schema.js';
import {
  intersection,
  isKeyword,
  keyword,
  NEVER,
  union,
  UNKNOWN,
  type Member,
  type TupleElement,
  type TypeNode,
} from './type-node.js';

export interface ConvertContext {
  /** The node for a `$ref` (or `$recursiveRef` / `$dynamicRef`) met at a place named `hint` (a property). */
  reference(ref: string, hint: string | undefined): TypeNode;
}

/** Deeper than this is a hostile or broken schema; the rest prints as `unknown`. */
const MAX_DEPTH = 48;

interface State {
  readonly context: ConvertContext;
  /** Schema objects being converted right now: meeting one again means an in-memory cycle. */
  readonly active: Set<object>;
  depth: number;
}

export function convertSchema(schema: unknown, context: ConvertContext, hint?: string): TypeNode {
  return convert(schema, { context, active: new Set(), depth: 0 }, hint);
}

function convert(schema: unknown, state: State, hint: string | undefined): TypeNode {
  if (schema === true || schema === undefined) return UNKNOWN;
  if (schema === false) return NEVER;
  if (!isSchemaObject(schema) || state.depth >= MAX_DEPTH || state.active.has(schema)) return UNKNOWN;
  state.active.add(schema);
  state.depth++;
  try {
    const parts: TypeNode[] = [];
    const ref = stringKeyword(schema, '$ref') ?? stringKeyword(schema, '$recursiveRef') ?? stringKeyword(schema, '$dynamicRef');
    if (ref !== undefined) parts.push(state.context.reference(ref, hint));
    const base = baseType(schema, state, hint);
    if (base) parts.push(base);
    for (const member of arrayKeyword(schema, 'allOf') ?? []) parts.push(convert(member, state, hint));
    for (const key of ['anyOf', 'oneOf']) {
      const members = arrayKeyword(schema, key);
      if (members && members.length > 0) parts.push(union(members.map((member) => convert(member, state, hint))));
    }
    const not = schema.not;
    if (not === true || (isSchemaObject(not) && Object.keys(not).length === 0)) parts.push(NEVER);
    return intersection(parts);
  } finally {
    state.active.delete(schema);
    state.depth--;
  }
}

/** The type from `const`, `enum`, `type` (or the keywords that imply one); undefined when none is said. */
function baseType(schema: JsonSchemaObject, state: State, hint: string | undefined): TypeNode | undefined {
  if (Object.hasOwn(schema, 'const')) return literal(schema.const, 0);
  const values = arrayKeyword(schema, 'enum');
  if (values) return union(values.map((value) => literal(value, 0)));
  let types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((t) => typeof t === 'string') : undefined;
  if (!types || types.length === 0) {
    // `required` alone does not make an object: inside `anyOf` it only constrains the parent's keys.
    const object = ['properties', 'additionalProperties', 'patternProperties', 'propertyNames'].some((key) => Object.hasOwn(schema, key));
    const array = ['items', 'prefixItems', 'additionalItems'].some((key) => Object.hasOwn(schema, key));
    if (!object && !array) return undefined;
    types = [...(object ? ['object'] : []), ...(array ? ['array'] : [])];
  }
  const nodes = types.map((type): TypeNode => {
    switch (type) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'null':
        return keyword(type);
      case 'integer':
        return keyword('number');
      case 'object':
        return objectType(schema, state);
      case 'array':
        return arrayType(schema, state, hint);
      default:
        return UNKNOWN;
    }
  });
  // OpenAPI 3.0 marks nullability beside `type` instead of in it.
  if (schema.nullable === true) nodes.push(keyword('null'));
  return union(nodes);
}

function objectType(schema: JsonSchemaObject, state: State): TypeNode {
  const properties = objectKeyword(schema, 'properties');
  const required = new Set((arrayKeyword(schema, 'required') ?? []).filter((key): key is string => typeof key === 'string'));
  const members: Member[] = [];
  const named = new Set<string>();
  const add = (name: string, type: TypeNode, doc: Member['doc']): void => {
    named.add(name);
    members.push({ name, optional: !required.has(name), type, doc });
  };
  // A property whose schema is malformed is still a property: it shows as `unknown`, not as missing.
  for (const [name, property] of Object.entries(properties ?? {})) add(name, convert(property, state, name), docFromSchema(property));
  // 2019-09 renamed the closing keyword; treat both alike.
  const additional = schema.additionalProperties ?? schema.unevaluatedProperties;
  const additionalType = isSchema(additional) ? convert(additional, state, undefined) : undefined;
  // A closed key set (`z.record(z.enum(['a', 'b']), V)`) lists its keys instead of an index signature.
  const keys = closedKeys(schema.propertyNames);
  for (const key of keys ?? []) if (!named.has(key)) add(key, additionalType ?? UNKNOWN, undefined);
  // A required key the schema never describes (or, by mistake, forbids) is shown as `unknown`, not `never`:
  // the tool stays callable, and the server is the judge.
  const undescribed = additionalType && !isKeyword(additionalType, 'never') ? additionalType : UNKNOWN;
  for (const key of required) if (!named.has(key)) add(key, undescribed, undefined);

  const indexTypes = Object.values(objectKeyword(schema, 'patternProperties') ?? {})
    .filter(isSchema)
    .map((pattern) => convert(pattern, state, undefined));
  if (!keys) {
    // An object that names no properties and says nothing of others is any object; one that lists its
    // properties reads as closed, which is what a caller should write even where extra keys are tolerated.
    const open = additional === undefined ? !properties && indexTypes.length === 0 : additional !== false;
    if (open) indexTypes.push(additionalType ?? UNKNOWN);
  }
  const declared = union(indexTypes);
  if (isKeyword(declared, 'never')) return { kind: 'object', members, index: undefined };
  // Every property must fit the index signature, so its type is widened to cover them (and `undefined`
  // for optional ones, since an optional property may hold it).
  const fit = members.map((member) => member.type);
  if (members.some((member) => member.optional)) fit.push(keyword('undefined'));
  return { kind: 'object', members, index: union([declared, ...fit]) };
}

function closedKeys(propertyNames: unknown): string[] | undefined {
  if (!isSchemaObject(propertyNames)) return undefined;
  if (typeof propertyNames.const === 'string') return [propertyNames.const];
  const values = arrayKeyword(propertyNames, 'enum');
  return values && values.every((value) => typeof value === 'string') ? (values as string[]) : undefined;
}

function arrayType(schema: JsonSchemaObject, state: State, hint: string | undefined): TypeNode {
  const prefixItems = arrayKeyword(schema, 'prefixItems');
  // Draft-07 wrote tuples as `items: [...]` with `additionalItems` for the rest.
  const prefix = prefixItems ?? arrayKeyword(schema, 'items');
  if (!prefix) {
    if (schema.items === false) return { kind: 'tuple', elements: [], rest: undefined };
    return { kind: 'array', element: convert(schema.items, state, hint) };
  }
  const minItems = numberKeyword(schema, 'minItems') ?? 0;
  const maxItems = numberKeyword(schema, 'maxItems');
  const elements: TupleElement[] = prefix
    .slice(0, maxItems ?? prefix.length)
    .map((item, position) => ({ type: convert(item, state, hint), optional: position >= minItems }));
  const restSchema = prefixItems ? schema.items : schema.additionalItems;
  let rest: TypeNode | undefined;
  if (restSchema !== false && (maxItems === undefined || maxItems > elements.length)) {
    rest = convert(restSchema, state, hint);
    if (isKeyword(rest, 'never')) rest = undefined;
  }
  return { kind: 'tuple', elements, rest };
}

/** The literal type of a JSON value from `const` or `enum`: `"a"`, `1`, `null`, `[1, "x"]`, `{ "k": true }`. */
function literal(value: unknown, depth: number): TypeNode {
  if (depth > MAX_DEPTH) return UNKNOWN;
  switch (typeof value) {
    case 'string':
      return { kind: 'literal', text: JSON.stringify(value), primitive: 'string' };
    case 'number':
      return Number.isFinite(value) ? { kind: 'literal', text: String(Object.is(value, -0) ? 0 : value), primitive: 'number' } : keyword('number');
    case 'boolean':
      return { kind: 'literal', text: String(value), primitive: 'boolean' };
    case 'object':
      if (value === null) return keyword('null');
      if (Array.isArray(value)) {
        return { kind: 'tuple', elements: value.map((item) => ({ type: literal(item, depth + 1), optional: false })), rest: undefined };
      }
      return {
        kind: 'object',
        members: Object.entries(value).map(([name, item]) => ({ name, optional: false, type: literal(item, depth + 1), doc: undefined })),
        index: undefined,
      };
    default:
      return UNKNOWN;
  }
}
