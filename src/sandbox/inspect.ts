// Formats console arguments inside the isolate the way Node's util.inspect does for the common cases
// (util.inspect itself does not exist in a bare V8 isolate). The source text of `createFormatter` is
// evaluated by the harness, so it must stay self-contained: no imports, no outside references, and it must
// never invoke getters (a getter is shown as `[Getter]`, as in Node). Every entry point takes a character
// budget and stops early, so a huge object cannot make formatting itself the memory or time bomb.

export interface Formatter {
  inspect(value: unknown, budget: number): string;
  /** `console.log` semantics: printf-style `%s %d %i %f %j %o %O %c %%` in a first string, then spaces. */
  formatArgs(args: unknown[], budget: number): string;
}

export function createFormatter(cleanStack: (stack: string) => string): Formatter {
  'use strict';
  const MAX_DEPTH = 2;
  const MAX_ITEMS = 100;
  const MAX_STRING = 10000;
  const BREAK_LENGTH = 76;
  const identifier = /^[A-Za-z_$][\w$]*$/;
  const objectToString = Object.prototype.toString;

  function quote(text: string): string {
    const cut = text.length > MAX_STRING ? text.slice(0, MAX_STRING) : text;
    const q = !cut.includes("'") ? "'" : !cut.includes('"') ? '"' : !cut.includes('`') ? '`' : "'";
    let out = '';
    for (const ch of cut) {
      const code = ch.charCodeAt(0);
      if (ch === q || ch === '\\') out += '\\' + ch;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
      else out += ch;
    }
    const more = text.length - cut.length;
    return q + out + q + (more > 0 ? `... ${more} more character${more === 1 ? '' : 's'}` : '');
  }

  function key(name: string | symbol): string {
    if (typeof name === 'symbol') return `[${String(name)}]`;
    return identifier.test(name) ? name : quote(name);
  }

  function functionLabel(fn: Function): string {
    let source = '';
    try {
      source = Function.prototype.toString.call(fn);
    } catch {}
    const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : '';
    if (source.startsWith('class')) return name ? `[class ${name}]` : '[class (anonymous)]';
    const kind = objectToString.call(fn).slice(8, -1);
    const label = kind === 'AsyncFunction' || kind === 'GeneratorFunction' || kind === 'AsyncGeneratorFunction' ? kind : 'Function';
    return name ? `[${label}: ${name}]` : `[${label} (anonymous)]`;
  }

  function constructorName(object: object): string | null {
    let proto: object | null;
    try {
      proto = Object.getPrototypeOf(object);
    } catch {
      return 'Object';
    }
    if (proto === null) return null;
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
    const ctor = descriptor && 'value' in descriptor ? descriptor.value : undefined;
    return typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '' ? ctor.name : 'Object';
  }

  function join(open: string, items: string[], close: string, indent: string, prefix: string): string {
    if (items.length === 0) return `${prefix}${open}${close}`;
    const single = `${prefix}${open} ${items.join(', ')} ${close}`;
    if (single.length + indent.length <= BREAK_LENGTH && !single.includes('\n')) return single;
    const inner = indent + '  ';
    return `${prefix}${open}\n${inner}${items.join(`,\n${inner}`)}\n${indent}${close}`;
  }

  function inspectValue(value: unknown, budget: number, nested: boolean): string {
    let used = 0;
    const seen: object[] = [];
    const circular = new Map<object, number>();

    function format(input: unknown, depth: number, indent: string): string {
      if (used > budget) return '…';
      const text = formatInner(input, depth, indent);
      used += text.length;
      return text;
    }

    function properties(object: object, skipIndices: boolean): Array<[string | symbol, PropertyDescriptor]> {
      const out: Array<[string | symbol, PropertyDescriptor]> = [];
      for (const name of Reflect.ownKeys(object)) {
        if (skipIndices && typeof name === 'string' && /^(0|[1-9]\d*)$/.test(name)) continue;
        const descriptor = Reflect.getOwnPropertyDescriptor(object, name);
        if (descriptor && descriptor.enumerable) out.push([name, descriptor]);
      }
      return out;
    }

    function property(name: string | symbol, descriptor: PropertyDescriptor, depth: number, indent: string): string {
      if (!('value' in descriptor)) {
        return `${key(name)}: ${descriptor.get && descriptor.set ? '[Getter/Setter]' : descriptor.get ? '[Getter]' : '[Setter]'}`;
      }
      return `${key(name)}: ${format(descriptor.value, depth + 1, indent + '  ')}`;
    }

    function formatInner(input: unknown, depth: number, indent: string): string {
      switch (typeof input) {
        case 'string':
          return depth === 0 && !nested ? input : quote(input);
        case 'number':
          return Object.is(input, -0) ? '-0' : String(input);
        case 'bigint':
          return `${input}n`;
        case 'boolean':
        case 'undefined':
          return String(input);
        case 'symbol':
          return input.toString();
        case 'function':
          return functionLabel(input);
      }
      if (input === null) return 'null';
      const object = input as object;
      if (seen.includes(object)) {
        if (!circular.has(object)) circular.set(object, circular.size + 1);
        return `[Circular *${circular.get(object)}]`;
      }
      const tag = objectToString.call(object).slice(8, -1);
      if (object instanceof Error || tag === 'Error') return formatError(object as Error, depth, indent);
      if (object instanceof Date) return isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
      if (object instanceof RegExp) return String(object);
      if (tag === 'Promise') return 'Promise { <unknown> }';
      if (tag === 'WeakMap' || tag === 'WeakSet') return `${tag} { <items unknown> }`;
      const name = constructorName(object);
      const prefix = name === null ? '[Object: null prototype] ' : name === 'Object' || name === 'Array' ? '' : `${name} `;
      if (depth > MAX_DEPTH) return Array.isArray(object) ? '[Array]' : `[${name ?? 'Object: null prototype'}]`;
      seen.push(object);
      let out: string;
      try {
        out = formatContainer(object, tag, name, prefix, depth, indent);
      } finally {
        seen.pop();
      }
      const ref = circular.get(object);
      return ref === undefined ? out : `<ref *${ref}> ${out}`;
    }

    function formatContainer(object: object, tag: string, name: string | null, prefix: string, depth: number, indent: string): string {
      const items: string[] = [];
      if (Array.isArray(object)) {
        let holes = 0;
        const shown = Math.min(object.length, MAX_ITEMS);
        for (let i = 0; i < shown && used <= budget; i++) {
          if (!(i in object)) {
            holes++;
            continue;
          }
          if (holes > 0) items.push(`<${holes} empty item${holes === 1 ? '' : 's'}>`);
          holes = 0;
          const descriptor = Object.getOwnPropertyDescriptor(object, i);
          items.push(descriptor && 'value' in descriptor ? format(descriptor.value, depth + 1, indent + '  ') : '[Getter]');
        }
        if (holes > 0) items.push(`<${holes} empty item${holes === 1 ? '' : 's'}>`);
        if (object.length > shown) items.push(`... ${object.length - shown} more item${object.length - shown === 1 ? '' : 's'}`);
        for (const [key, descriptor] of properties(object, true)) items.push(property(key, descriptor, depth, indent));
        const arrayPrefix = prefix === '' ? '' : `${name}(${object.length}) `;
        return join('[', items, ']', indent, arrayPrefix);
      }
      if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
        const view = object as unknown as ArrayLike<number | bigint>;
        const shown = Math.min(view.length, MAX_ITEMS);
        for (let i = 0; i < shown; i++) items.push(typeof view[i] === 'bigint' ? `${view[i]}n` : String(view[i]));
        if (view.length > shown) items.push(`... ${view.length - shown} more item${view.length - shown === 1 ? '' : 's'}`);
        return join('[', items, ']', indent, `${name ?? tag}(${view.length}) `);
      }
      if (tag === 'ArrayBuffer') return `ArrayBuffer { byteLength: ${(object as ArrayBuffer).byteLength} }`;
      if (object instanceof Map) {
        let count = 0;
        for (const [k, v] of object) {
          if (count++ >= MAX_ITEMS || used > budget) break;
          items.push(`${format(k, depth + 1, indent + '  ')} => ${format(v, depth + 1, indent + '  ')}`);
        }
        if (object.size > MAX_ITEMS) items.push(`... ${object.size - MAX_ITEMS} more items`);
        return join('{', items, '}', indent, `${name ?? 'Map'}(${object.size}) `);
      }
      if (object instanceof Set) {
        let count = 0;
        for (const v of object) {
          if (count++ >= MAX_ITEMS || used > budget) break;
          items.push(format(v, depth + 1, indent + '  '));
        }
        if (object.size > MAX_ITEMS) items.push(`... ${object.size - MAX_ITEMS} more items`);
        return join('{', items, '}', indent, `${name ?? 'Set'}(${object.size}) `);
      }
      const entries = properties(object, false);
      for (let i = 0; i < entries.length && used <= budget; i++) {
        if (i >= MAX_ITEMS) {
          items.push(`... ${entries.length - i} more propert${entries.length - i === 1 ? 'y' : 'ies'}`);
          break;
        }
        const [key, descriptor] = entries[i]!;
        items.push(property(key, descriptor, depth, indent));
      }
      return join('{', items, '}', indent, prefix);
    }

    function formatError(error: Error, depth: number, indent: string): string {
      let stack = '';
      let label = '';
      try {
        stack = typeof error.stack === 'string' ? cleanStack(error.stack) : '';
        label = `${String(error.name)}: ${String(error.message)}`;
      } catch {
        return '[Error]';
      }
      if (depth > 0) return `[${stack.split('\n')[0] || label}]`;
      // Like Node: extra own properties (a bridge error's `kind` and `hint`) follow the stack.
      seen.push(error);
      const extra = properties(error, false)
        .filter(([name]) => name !== 'stack' && name !== 'message' && name !== 'name')
        .map(([name, descriptor]) => property(name, descriptor, depth, indent));
      seen.pop();
      const head = stack || label;
      return extra.length === 0 ? head : `${head} ${join('{', extra, '}', indent, '')}`;
    }

    return format(value, 0, '');
  }

  function formatArgs(args: unknown[], budget: number): string {
    const parts: string[] = [];
    let start = 0;
    let used = 0;
    const first = args[0];
    if (typeof first === 'string' && first.includes('%') && args.length > 1) {
      start = 1;
      let out = '';
      let next = 1;
      for (let i = 0; i < first.length; i++) {
        const ch = first[i];
        const spec = first[i + 1];
        if (ch !== '%' || spec === undefined) {
          out += ch;
          continue;
        }
        if (spec === '%') {
          out += '%';
          i++;
          continue;
        }
        if (!'sdifjoOc'.includes(spec)) {
          out += ch;
          continue;
        }
        i++;
        if (spec === 'c') {
          next++;
          continue;
        }
        if (next >= args.length) {
          out += '%' + spec;
          continue;
        }
        const arg = args[next++];
        if (spec === 's') out += typeof arg === 'string' ? arg : inspectValue(arg, budget - out.length, true);
        else if (spec === 'd' || spec === 'i') {
          const n = typeof arg === 'bigint' ? arg : typeof arg === 'symbol' ? NaN : Number(arg);
          out += typeof n === 'bigint' ? `${n}n` : String(spec === 'i' ? Math.trunc(n) : n);
        } else if (spec === 'f') out += String(typeof arg === 'symbol' ? NaN : parseFloat(String(arg)));
        else if (spec === 'j') {
          try {
            out += JSON.stringify(arg);
          } catch {
            out += '[Circular]';
          }
        } else out += inspectValue(arg, budget - out.length, true);
        if (out.length > budget) break;
      }
      parts.push(out);
      used = out.length;
      start = next;
    }
    for (let i = start; i < args.length && used <= budget; i++) {
      const text = inspectValue(args[i], budget - used, false);
      parts.push(text);
      used += text.length + 1;
    }
    return parts.join(' ');
  }

  return { inspect: (value, budget) => inspectValue(value, budget, true), formatArgs };
}
