// Lays out a TypeNode as TypeScript text. A type goes on one line when it fits in MAX_WIDTH (or has no
// object or tuple in it) and carries no member docs; otherwise objects open one member per line and unions
// put each member on its own `| ` line, as a careful human would write them. Pure and deterministic: the same tree always gives the same text.
import { renderDoc } from './jsdoc.js';
import { propertyKey } from './names.js';
import type { ObjectNode, TypeNode } from './type-node.js';

export const MAX_WIDTH = 100;
const STEP = '  ';

/**
 * The text of `node` starting at `column`; later lines are indented from `indent`. A result that starts
 * with a newline is a broken union: the caller writes it right after `=` or `:` with no space.
 */
export function renderType(node: TypeNode, indent: string, column: number): string {
  const flat = renderFlat(node);
  // Breaking helps a reader with object and tuple types; a long union of literals is shorter (in tokens,
  // too) on one line than on twelve.
  if (flat !== undefined && (column + flat.length <= MAX_WIDTH || !isStructured(node))) return flat;
  switch (node.kind) {
    case 'object':
      return ['{', ...renderMembers(node, indent + STEP), `${indent}}`].join('\n');
    case 'union':
      return node.types.map((type) => `\n${indent}${STEP}| ${renderType(type, indent + STEP + STEP, indent.length + 4)}`).join('');
    case 'intersection':
      return node.types.map((type) => renderOperand(type, indent, column)).join(' & ');
    case 'array':
      return `${renderOperand(node.element, indent, column)}[]`;
    case 'tuple': {
      const inner = indent + STEP;
      const lines = node.elements.map(({ type, optional }) => {
        const text = optional ? `${renderOperand(type, inner, inner.length)}?` : renderType(type, inner, inner.length);
        return `${inner}${text},`;
      });
      if (node.rest) lines.push(`${inner}...${renderOperand(node.rest, inner, inner.length + 3)}[],`);
      return ['[', ...lines, `${indent}]`].join('\n');
    }
    default:
      return flat ?? 'unknown';
  }
}

/** The members of an object type, docs included, each starting at `indent` (a broken type spans lines). */
export function renderMembers(node: ObjectNode, indent: string): string[] {
  const lines: string[] = [];
  for (const member of node.members) {
    lines.push(...renderDoc(member.doc, indent));
    const head = `${indent}${propertyKey(member.name)}${member.optional ? '?' : ''}:`;
    lines.push(`${head}${afterColon(renderType(member.type, indent, head.length + 1))};`);
  }
  if (node.index) {
    const head = `${indent}[key: string]:`;
    lines.push(`${head}${afterColon(renderType(node.index, indent, head.length + 1))};`);
  }
  return lines;
}

/** Joins a rendered type to the `:` or `=` before it. */
export function afterColon(text: string): string {
  return text.startsWith('\n') ? text : ` ${text}`;
}

/** A type where `[]`, `?` or `&` follows it: unions and intersections need parentheses there. */
function renderOperand(node: TypeNode, indent: string, column: number): string {
  if (node.kind !== 'union' && node.kind !== 'intersection') return renderType(node, indent, column);
  const text = renderType(node, indent, column + 1);
  return text.startsWith('\n') ? `(${text}\n${indent})` : `(${text})`;
}

/** The one-line form, or undefined when the type cannot be written on one line (a member has a doc). */
export function renderFlat(node: TypeNode): string | undefined {
  switch (node.kind) {
    case 'keyword':
      return node.name;
    case 'literal':
      return node.text;
    case 'ref':
      return node.cut ? 'unknown' : node.name;
    case 'array': {
      const element = flatOperand(node.element);
      return element === undefined ? undefined : `${element}[]`;
    }
    case 'tuple': {
      const parts: string[] = [];
      for (const { type, optional } of node.elements) {
        const text = optional ? flatOperand(type) : renderFlat(type);
        if (text === undefined) return undefined;
        parts.push(optional ? `${text}?` : text);
      }
      if (node.rest) {
        const rest = flatOperand(node.rest);
        if (rest === undefined) return undefined;
        parts.push(`...${rest}[]`);
      }
      return `[${parts.join(', ')}]`;
    }
    case 'object': {
      const parts: string[] = [];
      for (const member of node.members) {
        const type = member.doc ? undefined : renderFlat(member.type);
        if (type === undefined) return undefined;
        parts.push(`${propertyKey(member.name)}${member.optional ? '?' : ''}: ${type}`);
      }
      if (node.index) {
        const type = renderFlat(node.index);
        if (type === undefined) return undefined;
        parts.push(`[key: string]: ${type}`);
      }
      return parts.length === 0 ? '{}' : `{ ${parts.join('; ')} }`;
    }
    case 'union':
    case 'intersection': {
      const parts = node.types.map((type) => (node.kind === 'union' ? renderFlat(type) : flatOperand(type)));
      if (parts.some((part) => part === undefined)) return undefined;
      return parts.join(node.kind === 'union' ? ' | ' : ' & ');
    }
  }
}

function isStructured(node: TypeNode): boolean {
  switch (node.kind) {
    case 'object':
    case 'tuple':
      return true;
    case 'array':
      return isStructured(node.element);
    case 'union':
    case 'intersection':
      return node.types.some(isStructured);
    default:
      return false;
  }
}

function flatOperand(node: TypeNode): string | undefined {
  const text = renderFlat(node);
  if (text === undefined) return undefined;
  return node.kind === 'union' || node.kind === 'intersection' ? `(${text})` : text;
}
