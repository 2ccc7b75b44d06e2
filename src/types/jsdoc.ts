// JSDoc for the declaration text: a description plus short tags (`@default 10`, `@format email`) taken
// from a schema. This text lands in a model's context, so it stays terse: no empty blocks, no titles, no
// values too long to help. Every piece is escaped so that no description, pattern or default can end the
// comment (`*/`) and turn the rest into code.
import { arrayKeyword, isSchemaObject, numberKeyword, stringKeyword, type JsonSchemaObject } from './json-schema.js';

export interface Doc {
  readonly text: string | undefined;
  /** `[name, value]`; an empty value prints the bare tag (`@deprecated`). */
  readonly tags: readonly (readonly [string, string])[];
}

/** Longest `@default` / `@example` value (as JSON) worth its tokens; longer ones are left out whole. */
const MAX_VALUE_LENGTH = 80;
/** Longest `@pattern` shown. A cut regex would be wrong, so a longer one is left out whole. */
const MAX_PATTERN_LENGTH = 120;
/** Widest one-line `/** ... *\/` block, indentation included. */
const MAX_LINE_WIDTH = 100;
/** zod's `z.int()` states the safe-integer range as bounds; that is noise, not a constraint worth reading. */
const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

export function makeDoc(text: string | undefined, tags: readonly (readonly [string, string])[] = []): Doc | undefined {
  const trimmed = text?.trim();
  const body = trimmed === '' ? undefined : trimmed;
  return body === undefined && tags.length === 0 ? undefined : { text: body, tags };
}

/**
 * The description and tags of `schema`. A nullable wrapper (`anyOf: [X, { type: 'null' }]`, as zod and
 * pydantic emit) is looked through, so `z.int().min(1).nullable()` still shows `@minimum 1`.
 */
export function docFromSchema(schema: unknown): Doc | undefined {
  if (!isSchemaObject(schema)) return undefined;
  const inner = nullableInner(schema);
  // The wrapper's own keywords (its description, a `default: null`) win over the wrapped schema's.
  const merged: JsonSchemaObject = inner ? { ...inner, ...schema } : schema;
  return makeDoc(stringKeyword(merged, 'description'), tagsOf(merged));
}

function nullableInner(schema: JsonSchemaObject): JsonSchemaObject | undefined {
  const members = arrayKeyword(schema, 'anyOf') ?? arrayKeyword(schema, 'oneOf');
  if (!members || members.length !== 2) return undefined;
  const rest = members.filter((member) => !(isSchemaObject(member) && member.type === 'null'));
  const only = rest.length === 1 ? rest[0] : undefined;
  return isSchemaObject(only) && only.$ref === undefined ? only : undefined;
}

function tagsOf(schema: JsonSchemaObject): [string, string][] {
  const tags: [string, string][] = [];
  const number = (key: string): number | undefined => {
    const value = numberKeyword(schema, key);
    return value === undefined || SAFE_INTEGER_BOUNDS.has(value) ? undefined : value;
  };
  if (schema.deprecated === true) tags.push(['deprecated', '']);
  const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  if (types.includes('integer')) tags.push(['integer', '']);
  const format = stringKeyword(schema, 'format');
  if (format !== undefined) tags.push(['format', format]);
  // Draft-04 spells an exclusive bound as `exclusiveMinimum: true` beside `minimum`.
  const minimum = number('minimum');
  const exclusiveMinimum = number('exclusiveMinimum') ?? (schema.exclusiveMinimum === true ? minimum : undefined);
  if (exclusiveMinimum !== undefined) tags.push(['exclusiveMinimum', String(exclusiveMinimum)]);
  else if (minimum !== undefined) tags.push(['minimum', String(minimum)]);
  const maximum = number('maximum');
  const exclusiveMaximum = number('exclusiveMaximum') ?? (schema.exclusiveMaximum === true ? maximum : undefined);
  if (exclusiveMaximum !== undefined) tags.push(['exclusiveMaximum', String(exclusiveMaximum)]);
  else if (maximum !== undefined) tags.push(['maximum', String(maximum)]);
  for (const key of ['multipleOf', 'minLength', 'maxLength']) {
    const value = number(key);
    if (value !== undefined) tags.push([key, String(value)]);
  }
  // A format already says what the string is; zod adds its own long regex for each format.
  const pattern = stringKeyword(schema, 'pattern');
  if (pattern !== undefined && format === undefined && pattern.length <= MAX_PATTERN_LENGTH) tags.push(['pattern', pattern]);
  // A tuple's length is already in its type.
  const isTuple = Array.isArray(schema.prefixItems) || Array.isArray(schema.items);
  for (const key of isTuple ? [] : ['minItems', 'maxItems']) {
    const value = number(key);
    if (value !== undefined) tags.push([key, String(value)]);
  }
  if (schema.uniqueItems === true) tags.push(['uniqueItems', '']);
  for (const key of ['minProperties', 'maxProperties']) {
    const value = number(key);
    if (value !== undefined) tags.push([key, String(value)]);
  }
  const defaultValue = shortJson(schema.default);
  if (defaultValue !== undefined) tags.push(['default', defaultValue]);
  const example = shortJson(Array.isArray(schema.examples) ? schema.examples[0] : schema.example);
  if (example !== undefined) tags.push(['example', example]);
  return tags;
}

function shortJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return undefined; // a cyclic or BigInt default from an in-memory schema: nothing sensible to show
  }
  return typeof json === 'string' && json.length <= MAX_VALUE_LENGTH ? json : undefined;
}

/** The comment as lines (no trailing newline), each starting with `indent`; `[]` for no doc. */
export function renderDoc(doc: Doc | undefined, indent: string): string[] {
  if (!doc) return [];
  const textLines = doc.text === undefined ? [] : doc.text.split(/\r\n|[\n\r\u2028\u2029]/).map((line) => escapeComment(line.trimEnd()));
  const tagLines = doc.tags.map(([name, value]) => escapeComment(value === '' ? `@${name}` : `@${name} ${oneLine(value)}`));
  if (textLines.length <= 1) {
    const single = `${indent}/** ${[...textLines, ...tagLines].join(' ')} */`;
    if (single.length <= MAX_LINE_WIDTH) return [single];
  }
  return [`${indent}/**`, ...[...textLines, ...tagLines].map((line) => (line === '' ? `${indent} *` : `${indent} * ${line}`)), `${indent} */`];
}

function oneLine(text: string): string {
  return text.replace(/\r\n|[\n\r\u2028\u2029]/g, ' ');
}

/** `*\/` cannot close the comment; nothing else can either, since JSDoc blocks do not nest. */
export function escapeComment(text: string): string {
  return text.replaceAll('*/', '*\\/');
}
