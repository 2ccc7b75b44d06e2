// Prints the TypeScript declarations a model reads to learn the `codemode` API: the named input/output
// types, then `declare const codemode: { ... }` with one method per tool and one nested object type per
// namespace. Every tool goes through the same JSON Schema printer, whether its schema came from zod or from
// an upstream MCP server. Pure: the same entries always give byte-identical text, and the text compiles
// under `tsc --strict` (the tests check that with the compiler).
import { CodemodeError, describeValue } from '../errors.js';
import { makeDoc, renderDoc } from './jsdoc.js';
import { arrayKeyword, isSchema, isSchemaObject, type JsonSchema } from './json-schema.js';
import { NamedTypes } from './named-types.js';
import { propertyKey, typeName } from './names.js';
import { renderFlat, renderType } from './render.js';
import { keyword, type TypeNode } from './type-node.js';

/**
 * Hints about what a tool does, as MCP's tool annotations say them; shown to the model in the tool's JSDoc
 * (`@readOnly`, `@destructive`, `@idempotent`, `@openWorld`). Hints, not guarantees: policy is `approval`.
 */
export interface ToolAnnotations {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

/** One tool as the printer sees it. */
export interface ToolEntry {
  /** Where the tool sits under `codemode`: `['fs', 'readFile']` for `codemode.fs.readFile`, `['add']` for `codemode.add`. */
  readonly path: readonly string[];
  readonly description: string;
  /** What the model passes (for zod, the schema's input side). */
  readonly inputSchema: JsonSchema;
  /** What the tool resolves to; without it the method returns `Promise<unknown>`. */
  readonly outputSchema?: JsonSchema | undefined;
  /** MCP-style hints, printed as JSDoc tags after the description. */
  readonly annotations?: ToolAnnotations | undefined;
}

/** A description for a namespace (a capability), shown above its object type. */
export interface NamespaceEntry {
  readonly path: readonly string[];
  readonly description: string;
}

export interface PrintOptions {
  /** Descriptions of namespaces. One for a namespace no tool sits in is ignored. */
  readonly namespaces?: readonly NamespaceEntry[] | undefined;
}

interface Namespace {
  readonly kind: 'namespace';
  readonly path: readonly string[];
  readonly children: Map<string, Namespace | Method>;
}

interface Method {
  readonly kind: 'method';
  readonly entry: ToolEntry;
  input: TypeNode;
  output: TypeNode;
}

/**
 * The declaration text for `entries`, ending in a newline. Throws `CodemodeError` (`INVALID_TOOL`) for an
 * entry of the wrong shape and (`DUPLICATE_TOOL`) for two tools at one path or a tool where a namespace is.
 * Schemas themselves are never rejected: what cannot be typed prints as `unknown`.
 */
export function printDeclarations(entries: readonly ToolEntry[], options: PrintOptions = {}): string {
  if (!Array.isArray(entries)) {
    throw new CodemodeError('INVALID_TOOL', `expected the tool entries to be an array, got ${describeValue(entries)}`);
  }
  const root = buildTree(entries);
  const types = new NamedTypes();
  // Tools claim their type names before any schema definition does, so a `$defs` entry can never push a
  // tool's own input type to a numbered name.
  const methods = collectMethods(root);
  const bases = methods.map((method) => types.names.takeWithSuffixes(typeName(method.entry.path, 'Tool'), ['Input', 'Output']));
  methods.forEach((method, position) => {
    const base = bases[position]!;
    method.input = types.root(method.entry.inputSchema, `${base}Input`, base);
    const { outputSchema } = method.entry;
    method.output = outputSchema === undefined ? keyword('unknown') : types.root(outputSchema, `${base}Output`, base);
  });
  const namespaceDocs = namespaceDescriptions(options.namespaces);
  const body = renderNamespace(root, '', namespaceDocs);
  const codemode = body.length === 0 ? 'declare const codemode: {};' : ['declare const codemode: {', ...body, '};'].join('\n');
  return [...types.render(), codemode].join('\n\n') + '\n';
}

function buildTree(entries: readonly ToolEntry[]): Namespace {
  const root: Namespace = { kind: 'namespace', path: [], children: new Map() };
  entries.forEach((entry, position) => {
    checkEntry(entry, position);
    const shown = entry.path.join('.');
    let namespace = root;
    for (const segment of entry.path.slice(0, -1)) {
      const child = namespace.children.get(segment);
      if (child?.kind === 'method') {
        throw new CodemodeError('DUPLICATE_TOOL', `tool "${shown}": "${child.entry.path.join('.')}" is already a tool, so it cannot also be a namespace`);
      }
      const next: Namespace = child ?? { kind: 'namespace', path: [...namespace.path, segment], children: new Map() };
      namespace.children.set(segment, next);
      namespace = next;
    }
    const name = entry.path.at(-1)!;
    if (namespace.children.has(name)) {
      throw new CodemodeError('DUPLICATE_TOOL', `tool "${shown}" is defined twice, or clashes with a namespace of that name`);
    }
    namespace.children.set(name, { kind: 'method', entry, input: keyword('unknown'), output: keyword('unknown') });
  });
  return root;
}

/** Throws `CodemodeError` (`INVALID_TOOL`) unless `entry` has the shape of a ToolEntry. */
export function checkEntry(entry: ToolEntry, position: number): void {
  const where = `tool entry ${position}`;
  if (typeof entry !== 'object' || entry === null) {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected an object, got ${describeValue(entry)}`);
  }
  const { path } = entry;
  if (!Array.isArray(path) || path.length === 0 || !path.every((segment) => typeof segment === 'string' && segment !== '')) {
    throw new CodemodeError('INVALID_TOOL', `${where}: expected \`path\` to be a non-empty array of non-empty strings, got ${describeValue(path)}`);
  }
  const shown = `tool "${path.join('.')}"`;
  if (typeof entry.description !== 'string') {
    throw new CodemodeError('INVALID_TOOL', `${shown}: expected \`description\` to be a string, got ${describeValue(entry.description)}`);
  }
  if (!isSchema(entry.inputSchema)) {
    throw new CodemodeError('INVALID_TOOL', `${shown}: expected \`inputSchema\` to be a JSON Schema (an object or a boolean), got ${describeValue(entry.inputSchema)}`);
  }
  if (entry.outputSchema !== undefined && !isSchema(entry.outputSchema)) {
    throw new CodemodeError('INVALID_TOOL', `${shown}: expected \`outputSchema\` to be a JSON Schema (an object or a boolean), got ${describeValue(entry.outputSchema)}`);
  }
}

function namespaceDescriptions(namespaces: PrintOptions['namespaces']): Map<string, string> {
  if (namespaces !== undefined && !Array.isArray(namespaces)) {
    throw new CodemodeError('INVALID_OPTION', `expected \`namespaces\` to be an array, got ${describeValue(namespaces)}`);
  }
  const descriptions = new Map<string, string>();
  for (const namespace of namespaces ?? []) {
    if (!Array.isArray(namespace?.path) || typeof namespace.description !== 'string') {
      throw new CodemodeError('INVALID_OPTION', `expected each namespace to be { path: string[], description: string }, got ${describeValue(namespace)}`);
    }
    descriptions.set(pathKey(namespace.path), namespace.description);
  }
  return descriptions;
}

/** Every method, depth first in the order tools were given: the order their types are printed in. */
function collectMethods(namespace: Namespace): Method[] {
  return [...namespace.children.values()].flatMap((child) => (child.kind === 'method' ? [child] : collectMethods(child)));
}

function renderNamespace(namespace: Namespace, outer: string, docs: ReadonlyMap<string, string>): string[] {
  const indent = outer + '  ';
  const lines: string[] = [];
  for (const [name, child] of namespace.children) {
    const key = propertyKey(name);
    if (child.kind === 'namespace') {
      lines.push(...renderDoc(makeDoc(docs.get(pathKey(child.path))), indent));
      lines.push(`${indent}${key}: {`, ...renderNamespace(child, indent, docs), `${indent}};`);
      continue;
    }
    lines.push(...renderDoc(makeDoc(child.entry.description, annotationTags(child.entry.annotations)), indent));
    // The bridge passes `{}` when a call has no argument, so an input without required fields may be left out.
    const head = `${indent}${key}(input${inputOptional(child.entry.inputSchema) ? '?' : ''}: `;
    const input = signatureType(child.input, indent, head.length);
    const output = signatureType(child.output, indent, head.length + input.length + 12);
    lines.push(`${head}${input}): Promise<${output}>;`);
  }
  return lines;
}

/**
 * The hints a caller acts on, as bare tags. MCP's defaults (not read-only, destructive, not idempotent,
 * open world) are assumed by no one reading a declaration, so only hints the tool states are shown, and
 * `destructive`/`idempotent` only for a tool that writes (they mean nothing beside `readOnly`).
 */
function annotationTags(annotations: ToolAnnotations | undefined): [string, string][] {
  if (!annotations || typeof annotations !== 'object') return [];
  const tags: [string, string][] = [];
  const readOnly = annotations.readOnlyHint === true;
  if (readOnly) tags.push(['readOnly', '']);
  if (!readOnly && annotations.destructiveHint === true) tags.push(['destructive', '']);
  if (!readOnly && annotations.idempotentHint === true) tags.push(['idempotent', '']);
  if (annotations.openWorldHint === true) tags.push(['openWorld', '']);
  return tags;
}

function inputOptional(schema: JsonSchema): boolean {
  if (!isSchemaObject(schema) || schema.type !== 'object' || '$ref' in schema || 'anyOf' in schema || 'oneOf' in schema || 'allOf' in schema) return false;
  const required = arrayKeyword(schema, 'required');
  return required === undefined || required.length === 0;
}

/** Types in a signature are names or short inline types; they stay on the signature's line. */
function signatureType(node: TypeNode, indent: string, column: number): string {
  return renderFlat(node) ?? renderType(node, indent, column);
}

/** Paths as map keys; NUL cannot be confused with anything inside a name. */
function pathKey(path: readonly string[]): string {
  return path.join('\u0000');
}
