// A bounded text view of a value for the inspector page: JSON-like, cut after `max` characters. It stops
// walking once the budget is spent, so a call's 8 MB value costs the host a few thousand steps, not a
// full serialization.

/** JSON-like text of `value`, at most about `max` characters, ending in `…` when cut. */
export function preview(value: unknown, max: number): string {
  const out: string[] = [];
  let left = max;
  const push = (text: string): boolean => {
    if (left <= 0) return false;
    if (text.length > left) {
      out.push(text.slice(0, left), '…');
      left = 0;
      return false;
    }
    out.push(text);
    left -= text.length;
    return true;
  };
  const walk = (item: unknown, depth: number): boolean => {
    switch (typeof item) {
      case 'string':
        return push(JSON.stringify(item.length > left ? item.slice(0, left + 1) : item));
      case 'number':
      case 'boolean':
        return push(String(item));
      case 'bigint':
        return push(`${item}n`);
      case 'undefined':
        return push('undefined');
      case 'function':
      case 'symbol':
        return push(`[${typeof item}]`);
      default:
        break;
    }
    if (item === null) return push('null');
    if (item instanceof Date) return push(Number.isNaN(item.getTime()) ? 'Invalid Date' : item.toISOString());
    if (item instanceof Uint8Array) return push(`Uint8Array(${item.byteLength})`);
    if (depth >= 20) return push(Array.isArray(item) ? '[…]' : '{…}');
    if (Array.isArray(item)) {
      if (!push('[')) return false;
      for (let i = 0; i < item.length; i++) {
        if ((i > 0 && !push(', ')) || !walk(item[i], depth + 1)) return false;
      }
      return push(']');
    }
    if (!push('{')) return false;
    let first = true;
    for (const key of Object.keys(item as object)) {
      if ((!first && !push(', ')) || !push(`${JSON.stringify(key)}: `) || !walk((item as Record<string, unknown>)[key], depth + 1)) return false;
      first = false;
    }
    return push('}');
  };
  walk(value, 0);
  return out.join('');
}
