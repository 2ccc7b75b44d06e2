// Turns a run's value (anything the bridge can carry) into plain JSON for MCP results and the CLI. Shared by
// the MCP server and the CLI, and belongs to neither: no MCP SDK here.
//
// What JSON cannot hold becomes what a reader expects rather than what JSON.stringify does silently:
// a bigint its decimal digits, NaN and ±Infinity their names, a Uint8Array `{ base64 }`; a Date its ISO
// text (invalid: null); undefined is left out of objects and is null in arrays, as in JSON.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The JSON form of a bridge value; `undefined` only when the value itself is undefined. */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  return convert(value);
}

/** One-line JSON text of a bridge value; `undefined` when there is no value. */
export function jsonText(value: unknown, indent?: number): string | undefined {
  const json = toJson(value);
  return json === undefined ? undefined : JSON.stringify(json, null, indent);
}

function convert(value: unknown): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : String(value);
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return { base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(convert);
  const out: { [key: string]: Json } = {};
  for (const [key, member] of Object.entries(value as object)) {
    // defineProperty, so an own `__proto__` key stays a key instead of replacing the prototype.
    if (member !== undefined) Object.defineProperty(out, key, { value: convert(member), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
