// The one encoding for every value that crosses the bridge, in both directions: host ↔ sandbox process ↔
// isolate. The same two functions run on the host (imported) and inside the isolate (their source text is
// evaluated by the harness), so they must stay self-contained: no imports, no references to anything outside
// their own bodies, only language built-ins.
//
// Wire form: one string. `0<json>` when the value is plain JSON; `1<json>` when some values were tagged as
// `{"\u0000": tag, "v": payload}` objects (undefined, Date, BigInt, NaN/±Infinity/-0, Uint8Array, and objects
// that themselves own a "\u0000" key). Values are copied, never referenced; caps on size and depth keep a
// hostile value from exhausting either side.
//
// | value                      | crosses as                                    |
// |----------------------------|-----------------------------------------------|
// | null, boolean, string      | itself                                        |
// | number                     | itself, NaN/Infinity/-Infinity/-0 included    |
// | undefined                  | undefined (also as an array item or property) |
// | bigint                     | bigint                                        |
// | Date                       | Date (an invalid date stays invalid)          |
// | Uint8Array (Buffer too)    | Uint8Array                                    |
// | array                      | array (holes become undefined)                |
// | plain or class object      | plain object of its own enumerable string keys|
// | object with toJSON()       | whatever toJSON() returns                     |
// | Error                      | { name, message } plus own enumerable props   |
// | function, symbol, Map, Set, WeakMap, Promise, other typed arrays, ArrayBuffer | refused with the path |

/**
 * Thrown by {@link encodeValue}; `code` says why, `path` where (e.g. `.items[3].name`). A message about the
 * whole value starts with "the value", which callers may replace with what the value is ("the input").
 */
export interface CodecError extends Error {
  code: 'unsupported' | 'too_large' | 'too_deep' | 'circular' | 'malformed';
  path: string;
}

/** Encodes `value` for the bridge. Throws a {@link CodecError} naming the path of the first bad part. */
export function encodeValue(value: unknown, maxChars: number, maxDepth: number): string {
  'use strict';
  const TAG = '\u0000';
  let tagged = false;
  let size = 0;
  const ancestors: object[] = [];

  function fail(code: string, path: string, message: string): never {
    const error = new TypeError(message) as TypeError & { code: string; path: string };
    error.code = code;
    error.path = path;
    throw error;
  }
  function where(path: string): string {
    return path === '' ? 'the value' : path;
  }
  function grow(n: number, path: string): void {
    size += n;
    if (size > maxChars) fail('too_large', path, `the value is larger than the ${maxChars}-character limit${path ? ` (reached at ${path})` : ''}`);
  }
  function tag(kind: string, payload: unknown): object {
    tagged = true;
    return { [TAG]: kind, v: payload };
  }
  function base64(bytes: Uint8Array): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let out = '';
    let i = 0;
    for (; i + 2 < bytes.length; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
    }
    if (i < bytes.length) {
      const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8);
      out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + (i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=') + '=';
    }
    return out;
  }
  function walk(input: unknown, path: string, depth: number): unknown {
    switch (typeof input) {
      case 'string':
        grow(input.length + 2, path);
        return input;
      case 'number':
        grow(8, path);
        if (input !== input) return tag('n', 'NaN');
        if (input === Infinity) return tag('n', 'Infinity');
        if (input === -Infinity) return tag('n', '-Infinity');
        if (input === 0 && 1 / input < 0) return tag('n', '-0');
        return input;
      case 'boolean':
        grow(5, path);
        return input;
      case 'undefined':
        grow(12, path);
        return tag('u', 0);
      case 'bigint': {
        const digits = String(input);
        grow(digits.length + 12, path);
        return tag('b', digits);
      }
      case 'function':
        return fail('unsupported', path, `${where(path)} is a function; only data can cross`);
      case 'symbol':
        return fail('unsupported', path, `${where(path)} is a symbol; only data can cross`);
    }
    if (input === null) {
      grow(4, path);
      return null;
    }
    const object = input as Record<string, unknown>;
    if (depth >= maxDepth) fail('too_deep', path, `${where(path)} is nested deeper than ${maxDepth} levels`);
    if (ancestors.includes(object)) fail('circular', path, `${where(path)} refers back to one of its parents (a circular structure)`);
    if (object instanceof Date) {
      grow(30, path);
      const time = object.getTime();
      return tag('d', time === time ? time : null);
    }
    if (object instanceof Uint8Array) {
      grow(Math.ceil(object.length / 3) * 4 + 12, path);
      return tag('y', base64(object));
    }
    if (typeof object.toJSON === 'function' && !(object instanceof Error)) {
      ancestors.push(object);
      const replaced = walk(object.toJSON(), path, depth + 1);
      ancestors.pop();
      return replaced;
    }
    const kind = Object.prototype.toString.call(object);
    if (
      object instanceof Map || object instanceof Set || object instanceof WeakMap || object instanceof WeakSet ||
      object instanceof Promise || object instanceof ArrayBuffer || ArrayBuffer.isView(object) ||
      kind === '[object Map]' || kind === '[object Set]' || kind === '[object Promise]' || kind === '[object WeakMap]'
    ) {
      const name = kind.slice(8, -1);
      const hint = name === 'Map' ? ' (use Object.fromEntries(map))' : name === 'Set' ? ' (use [...set])' : '';
      fail('unsupported', path, `${where(path)} is a ${name}, which cannot cross${hint}`);
    }
    ancestors.push(object);
    let result: unknown;
    if (Array.isArray(object)) {
      const items = object as unknown[];
      grow(2 + items.length, path);
      const copy: unknown[] = new Array(items.length);
      for (let i = 0; i < items.length; i++) copy[i] = walk(items[i], `${path}[${i}]`, depth + 1);
      result = copy;
    } else {
      const keys = Object.keys(object);
      const entries: Array<[string, unknown]> = [];
      let reserved = false;
      grow(2, path);
      if (object instanceof Error) {
        entries.push(['name', walk(object.name, `${path}.name`, depth + 1)]);
        entries.push(['message', walk(object.message, `${path}.message`, depth + 1)]);
      }
      for (const key of keys) {
        if (key === 'stack' && object instanceof Error) continue;
        if (key === TAG) reserved = true;
        const childPath = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
        grow(key.length + 4, childPath);
        entries.push([key, walk(object[key], childPath, depth + 1)]);
      }
      if (reserved) {
        result = tag('o', entries);
      } else {
        const copy: Record<string, unknown> = {};
        for (const [key, item] of entries) {
          if (key === '__proto__') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
          else copy[key] = item;
        }
        result = copy;
      }
    }
    ancestors.pop();
    return result;
  }

  const tree = walk(value, '', 0);
  const text = (tagged ? '1' : '0') + JSON.stringify(tree);
  if (text.length > maxChars) fail('too_large', '', `the value is larger than the ${maxChars}-character limit`);
  return text;
}

/**
 * Decodes what {@link encodeValue} produced, under the same caps. Treats `text` as untrusted: whoever made it
 * may have replaced `JSON.stringify`, so its size and nesting are checked on the text itself before any
 * recursion. Throws a {@link CodecError}: `too_large`, `too_deep` or `malformed`.
 */
export function decodeValue(text: string, maxDepth: number, maxChars: number): unknown {
  'use strict';
  const TAG = '\u0000';
  function fail(message: string, code = 'malformed'): never {
    const error = new TypeError(code === 'malformed' ? `malformed bridge value: ${message}` : message) as TypeError & { code: string; path: string };
    error.code = code;
    error.path = '';
    throw error;
  }
  /**
   * The deepest bracket nesting of a JSON text, stopping past `limit`. An untagged value nests as deep as the
   * value; a tagged one up to three levels per value level (`{"\u0000":"o","v":[[key, value]]}`) plus a tagged
   * leaf. Text too short to hold `limit + 1` pairs of brackets cannot be too deep and is not scanned.
   */
  function nesting(json: string, limit: number): number {
    if (json.length <= 2 * limit + 1) return 0;
    let depth = 0;
    let inString = false;
    for (let i = 0; i < json.length; i++) {
      const c = json.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 91 || c === 123) {
        if (++depth > limit) return depth;
      } else if (c === 93 || c === 125) depth--;
    }
    return depth;
  }
  function bytes(base64: string): Uint8Array {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    if (base64.length % 4 !== 0) fail('bad base64 length');
    const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
    const out = new Uint8Array((base64.length / 4) * 3 - padding);
    let o = 0;
    for (let i = 0; i < base64.length; i += 4) {
      let n = 0;
      for (let j = 0; j < 4; j++) {
        const c = base64[i + j]!;
        const d = c === '=' ? 0 : alphabet.indexOf(c);
        if (d < 0) fail('bad base64 character');
        n = (n << 6) | d;
      }
      if (o < out.length) out[o++] = n >> 16;
      if (o < out.length) out[o++] = (n >> 8) & 255;
      if (o < out.length) out[o++] = n & 255;
    }
    return out;
  }
  function revive(node: unknown, depth: number): unknown {
    if (typeof node !== 'object' || node === null) return node;
    if (depth > maxDepth + 1) fail(`the value is nested deeper than ${maxDepth} levels`, 'too_deep');
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = revive(node[i], depth + 1);
      return node;
    }
    const object = node as Record<string, unknown>;
    if (!Object.prototype.hasOwnProperty.call(object, TAG)) {
      for (const key of Object.keys(object)) object[key] = revive(object[key], depth + 1);
      return object;
    }
    const payload = object.v;
    switch (object[TAG]) {
      case 'u':
        return undefined;
      case 'n':
        if (payload === 'NaN') return NaN;
        if (payload === 'Infinity') return Infinity;
        if (payload === '-Infinity') return -Infinity;
        if (payload === '-0') return -0;
        return fail('bad number tag');
      case 'b':
        if (typeof payload !== 'string' || !/^-?\d+$/.test(payload)) fail('bad bigint');
        return BigInt(payload);
      case 'd':
        if (payload !== null && typeof payload !== 'number') fail('bad date');
        return new Date(payload === null ? NaN : payload);
      case 'y':
        if (typeof payload !== 'string') fail('bad bytes');
        return bytes(payload);
      case 'o': {
        if (!Array.isArray(payload)) fail('bad object');
        const copy: Record<string, unknown> = {};
        for (const entry of payload as unknown[]) {
          if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') fail('bad object entry');
          Object.defineProperty(copy, entry[0], { value: revive(entry[1], depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return copy;
      }
      default:
        return fail('unknown tag');
    }
  }
  if (typeof text !== 'string' || (text[0] !== '0' && text[0] !== '1')) fail('missing header');
  if (text.length > maxChars) fail(`the value is larger than the ${maxChars}-character limit`, 'too_large');
  const limit = text[0] === '1' ? 3 * maxDepth + 1 : maxDepth;
  if (nesting(text, limit) > limit) fail(`the value is nested deeper than ${maxDepth} levels`, 'too_deep');
  let tree: unknown;
  try {
    tree = JSON.parse(text.slice(1));
  } catch {
    fail('not JSON');
  }
  return text[0] === '1' ? revive(tree, 0) : tree;
}
