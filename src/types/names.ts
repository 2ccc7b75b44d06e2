// Names in the declaration text. Tool, namespace and property names come from tool authors and upstream
// servers, so they are never interpolated raw: a key is either a plain ASCII identifier or a JSON string
// literal, and a type name is rebuilt from ASCII letters and digits only. Nothing here may return text that
// could end a string, a comment or a declaration early.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Whether `name` can stand unquoted as a property or method key. ASCII only on purpose: TypeScript's and
 * V8's Unicode tables may differ, and a quoted key is always valid. `new` is excluded because
 * `new(input: X)` in an object type is a construct signature, not a method.
 */
export function isPlainKey(name: string): boolean {
  return IDENTIFIER.test(name) && name !== 'new';
}

/** A property or method key: the name itself when it is a plain identifier, else a JSON string literal. */
export function propertyKey(name: string): string {
  return isPlainKey(name) ? name : JSON.stringify(name);
}

/**
 * A PascalCase type name built from the ASCII letters and digits of `parts`: `['fs', 'read_file']` →
 * `FsReadFile`. Falls back to `fallback` when nothing usable is left, and prefixes it when the result would
 * start with a digit.
 */
export function typeName(parts: readonly string[], fallback: string): string {
  const words = parts.flatMap((part) => part.match(/[A-Za-z0-9]+/g) ?? []);
  const name = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  if (name === '') return fallback;
  return /^[0-9]/.test(name) ? fallback + name : name;
}

/**
 * Global type names of the ES2023 library, plus a few host globals a reader would expect to mean the
 * usual thing. Our declarations are a global script, so `interface Map` would silently merge with the
 * library's `Map` and `type Promise = ...` would not compile: a schema name in this set gets a prefix.
 * A test checks this set against the compiler's own library.
 */
const RESERVED_TYPE_NAMES = new Set(
  `AggregateError AggregateErrorConstructor Array ArrayBuffer ArrayBufferConstructor ArrayBufferLike
  ArrayBufferTypes ArrayBufferView ArrayConstructor ArrayIterator ArrayLike AsyncGenerator AsyncGeneratorFunction
  AsyncGeneratorFunctionConstructor AsyncIterable AsyncIterableIterator AsyncIterator AsyncIteratorObject Atomics
  Awaited BigInt BigInt64Array BigInt64ArrayConstructor BigIntConstructor BigIntToLocaleStringOptions BigUint64Array
  BigUint64ArrayConstructor Boolean BooleanConstructor BuiltinIteratorReturn CallableFunction Capitalize
  ClassAccessorDecoratorContext ClassAccessorDecoratorResult ClassAccessorDecoratorTarget ClassDecorator
  ClassDecoratorContext ClassFieldDecoratorContext ClassGetterDecoratorContext ClassMemberDecoratorContext
  ClassMethodDecoratorContext ClassSetterDecoratorContext ConcatArray ConstructorParameters DataView
  DataViewConstructor Date DateConstructor DecoratorContext DecoratorMetadata DecoratorMetadataObject Error
  ErrorConstructor ErrorOptions EvalError EvalErrorConstructor Exclude Extract FinalizationRegistry
  FinalizationRegistryConstructor FlatArray Float32Array Float32ArrayConstructor Float64Array
  Float64ArrayConstructor Function FunctionConstructor Generator GeneratorFunction GeneratorFunctionConstructor
  IArguments ImportAssertions ImportAttributes ImportCallOptions ImportMeta InstanceType Int16Array
  Int16ArrayConstructor Int32Array Int32ArrayConstructor Int8Array Int8ArrayConstructor Intl Iterable
  IterableIterator Iterator IteratorObject IteratorResult IteratorReturnResult IteratorYieldResult JSON Lowercase
  Map MapConstructor MapIterator Math MethodDecorator NewableFunction NoInfer NonNullable Number NumberConstructor
  Object ObjectConstructor Omit OmitThisParameter ParameterDecorator Parameters Partial Pick Promise
  PromiseConstructor PromiseConstructorLike PromiseFulfilledResult PromiseLike PromiseRejectedResult
  PromiseSettledResult PropertyDecorator PropertyDescriptor PropertyDescriptorMap PropertyKey ProxyConstructor
  ProxyHandler RangeError RangeErrorConstructor Readonly ReadonlyArray ReadonlyMap ReadonlySet Record
  ReferenceError ReferenceErrorConstructor Reflect RegExp RegExpConstructor RegExpExecArray RegExpIndicesArray
  RegExpMatchArray RegExpStringIterator Required ReturnType Set SetConstructor SetIterator SharedArrayBuffer
  SharedArrayBufferConstructor String StringConstructor StringIterator Symbol SymbolConstructor SyntaxError
  SyntaxErrorConstructor TemplateStringsArray ThisParameterType ThisType TypeError TypeErrorConstructor
  TypedPropertyDescriptor URIError URIErrorConstructor Uint16Array Uint16ArrayConstructor Uint32Array
  Uint32ArrayConstructor Uint8Array Uint8ArrayConstructor Uint8ClampedArray Uint8ClampedArrayConstructor
  Uncapitalize Uppercase WeakKey WeakKeyTypes WeakMap WeakMapConstructor WeakRef WeakRefConstructor WeakSet
  WeakSetConstructor
  Blob Buffer Console Document Element Event EventTarget File FormData Headers Node NodeJS Request Response
  Text TextDecoder TextEncoder URL URLSearchParams Window`.split(/\s+/),
);

/** Whether a global library type already owns this name. */
export function isReservedTypeName(name: string): boolean {
  return RESERVED_TYPE_NAMES.has(name);
}

/** Hands out type names that are unique within one printed text and clear of the reserved globals. */
export class NameAllocator {
  private readonly used = new Set<string>();

  isFree(name: string): boolean {
    return !this.used.has(name) && !RESERVED_TYPE_NAMES.has(name);
  }

  /** Takes `preferred`, or `preferred2`, `preferred3`, ... when it is taken. */
  take(preferred: string): string {
    return this.takeWithSuffixes(preferred, ['']);
  }

  /**
   * Takes one base for several names that belong together (`AddInput`, `AddOutput`): the first base for
   * which every `base + suffix` is free.
   */
  takeWithSuffixes(base: string, suffixes: readonly string[]): string {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}${n}`;
      if (suffixes.every((suffix) => this.isFree(candidate + suffix))) {
        for (const suffix of suffixes) this.used.add(candidate + suffix);
        return candidate;
      }
    }
  }
}
