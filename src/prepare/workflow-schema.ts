// TypeScript types → JSON Schema, for a workflow's `run(input)` signature: its input and its awaited output
// become the schemas its declaration is printed from and its input is validated with. Runs in a preparation
// worker (it needs the type checker). It never throws on a type: what JSON cannot carry (functions, class
// instances, `Date`, symbols) or what is too deep becomes `{}` (printed `unknown`), a safe if loose answer.
import type TypeScript from 'typescript';
import type { JsonSchemaObject } from '../types/json-schema.js';
import { typescript } from '../normalize/typescript.js';

/** Deeper nesting than this is `unknown`: a schema for the model to read, not a proof. */
const MAX_DEPTH = 12;
/** A union or object wider than this is `unknown` / loose: its text would cost more than it helps. */
const MAX_MEMBERS = 200;

type Schema = JsonSchemaObject;

export function typeToSchema(checker: TypeScript.TypeChecker, type: TypeScript.Type): Schema {
  return new Converter(checker).convert(type, 0);
}

class Converter {
  private readonly ts = typescript();
  /** Types being converted, to cut recursion (`interface Tree { children: Tree[] }`). */
  private readonly open = new Set<TypeScript.Type>();

  constructor(private readonly checker: TypeScript.TypeChecker) {}

  convert(type: TypeScript.Type, depth: number): Schema {
    const { ts } = this;
    const flags = type.flags;
    if (depth > MAX_DEPTH) return {};
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (flags & ts.TypeFlags.StringLiteral) return { const: (type as TypeScript.StringLiteralType).value };
    if (flags & ts.TypeFlags.NumberLiteral) return { const: (type as TypeScript.NumberLiteralType).value };
    if (flags & ts.TypeFlags.BooleanLiteral) return { const: type === this.checker.getTrueType() };
    if (flags & ts.TypeFlags.EnumLiteral && !(flags & ts.TypeFlags.Union)) return {};
    if (flags & ts.TypeFlags.String || flags & ts.TypeFlags.TemplateLiteral) return { type: 'string' };
    if (flags & ts.TypeFlags.Number) return { type: 'number' };
    if (flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (flags & ts.TypeFlags.Null) return { type: 'null' };
    if (flags & ts.TypeFlags.Never) return { not: {} };
    if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral | ts.TypeFlags.ESSymbolLike)) return {};
    if (type.isUnion()) return this.union(type.types, depth);
    if (type.isIntersection()) return { allOf: type.types.slice(0, MAX_MEMBERS).map((part) => this.convert(part, depth + 1)) };
    if (!(flags & ts.TypeFlags.Object)) return {};
    if (this.open.has(type)) return {};
    this.open.add(type);
    try {
      return this.object(type as TypeScript.ObjectType, depth);
    } finally {
      this.open.delete(type);
    }
  }

  private union(types: readonly TypeScript.Type[], depth: number): Schema {
    const { ts } = this;
    // `x?: T` reads as `T | undefined`: optionality is `required`'s business, not the type's.
    const members = types.filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const hasTrue = members.some((member) => member === this.checker.getTrueType());
    const hasFalse = members.some((member) => member === this.checker.getFalseType());
    const rest = hasTrue && hasFalse ? members.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral)) : members;
    const parts: Schema[] = hasTrue && hasFalse ? [{ type: 'boolean' }] : [];
    if (rest.length > MAX_MEMBERS) return {};
    const literals = rest.filter((member) => member.isStringLiteral() || member.isNumberLiteral());
    if (literals.length === rest.length && literals.length > 1 && parts.length === 0) {
      return { enum: literals.map((member) => (member as TypeScript.LiteralType).value as string | number) };
    }
    for (const member of rest) parts.push(this.convert(member, depth + 1));
    if (parts.length === 1) return parts[0]!;
    if (parts.some((part) => Object.keys(part).length === 0)) return {};
    return { anyOf: parts };
  }

  private object(type: TypeScript.ObjectType, depth: number): Schema {
    const { ts, checker } = this;
    if (checker.isTupleType(type)) {
      const elements = checker.getTypeArguments(type as TypeScript.TypeReference).map((element) => this.convert(element, depth + 1));
      const target = (type as TypeScript.TypeReference).target as TypeScript.TupleType;
      const required = target.minLength;
      return { type: 'array', prefixItems: elements, items: false, minItems: required, ...(target.hasRestElement ? {} : { maxItems: elements.length }) };
    }
    if (checker.isArrayType(type)) {
      const [element] = checker.getTypeArguments(type as TypeScript.TypeReference);
      return { type: 'array', items: element ? this.convert(element, depth + 1) : {} };
    }
    // Functions, class instances and built-ins such as Date or Map do not cross the bridge as themselves.
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return {};
    const symbol = type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Class) return {};
    if (symbol && BUILT_INS.has(symbol.getName()) && isLibSymbol(symbol)) return {};
    const properties = checker.getPropertiesOfType(type);
    if (properties.length > MAX_MEMBERS) return { type: 'object' };
    const schema: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of properties) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = declaration ? checker.getTypeOfSymbolAtLocation(property, declaration) : checker.getTypeOfSymbol(property);
      const converted = this.convert(propertyType, depth + 1);
      const doc = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
      schema[property.getName()] = doc ? { ...converted, description: doc } : converted;
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.getName());
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    const out: Record<string, unknown> = { type: 'object', properties: schema };
    if (required.length > 0) out.required = required;
    out.additionalProperties = index ? this.convert(index.type, depth + 1) : false;
    return out;
  }
}

const BUILT_INS = new Set(['Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'Error', 'Uint8Array', 'ArrayBuffer']);

function isLibSymbol(symbol: TypeScript.Symbol): boolean {
  return (symbol.declarations ?? []).some((declaration) => declaration.getSourceFile().hasNoDefaultLib);
}
