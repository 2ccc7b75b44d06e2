import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeValue, encodeValue } from '../../src/bridge/codec.js';

const roundTrip = (value: unknown) => decodeValue(encodeValue(value, 1_000_000, 64), 64, 1_000_000);

describe('bridge codec', () => {
  test('plain JSON travels untagged and comes back equal', () => {
    const value = { a: [1, 'two', true, null], b: { c: 'd' } };
    const text = encodeValue(value, 1000, 64);
    assert.equal(text, '0{"a":[1,"two",true,null],"b":{"c":"d"}}');
    assert.deepEqual(decodeValue(text, 64, 1_000_000), value);
  });

  test('the extended types keep their type', () => {
    const value = { u: undefined, n: [NaN, Infinity, -Infinity, -0], b: -(2n ** 80n), d: new Date(1), bytes: new Uint8Array([0, 255, 16, 1, 2]) };
    const back = roundTrip(value) as typeof value;
    assert.deepEqual(back, value);
    const invalid = roundTrip(new Date(NaN));
    assert.ok(invalid instanceof Date && Number.isNaN(invalid.getTime()));
    assert.ok(Object.is(back.n[3], -0));
    assert.ok(back.d instanceof Date && back.bytes instanceof Uint8Array);
  });

  test('base64 covers every padding length', () => {
    for (let length = 0; length < 7; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 97) % 256);
      assert.deepEqual(roundTrip(bytes), bytes);
      assert.equal(JSON.parse(encodeValue(bytes, 1000, 64).slice(1)).v, Buffer.from(bytes).toString('base64'));
    }
  });

  test('a Buffer crosses as a Uint8Array', () => {
    const back = roundTrip(Buffer.from('hi'));
    assert.equal(Object.getPrototypeOf(back), Uint8Array.prototype);
    assert.deepEqual(back, new Uint8Array([104, 105]));
  });

  test('refusals name the path of the bad part', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ a: { b: () => 1 } }, /^\.a\.b is a function; only data can cross$/],
      [{ 'odd key': [Symbol()] }, /^\["odd key"\]\[0\] is a symbol/],
      [new Map(), /^the value is a Map, which cannot cross \(use Object\.fromEntries\(map\)\)$/],
      [[new WeakMap()], /^\[0\] is a WeakMap/],
      [{ p: Promise.resolve() }, /^\.p is a Promise/],
      [new Float64Array(2), /^the value is a Float64Array/],
      [new ArrayBuffer(2), /^the value is a ArrayBuffer/],
    ];
    for (const [value, message] of cases) {
      assert.throws(() => encodeValue(value, 1000, 64), (error: Error & { code: string }) => error.code === 'unsupported' && message.test(error.message));
    }
  });

  test('cycles are refused, repeated references are copied', () => {
    const shared = { x: 1 };
    assert.deepEqual(roundTrip([shared, shared]), [{ x: 1 }, { x: 1 }]);
    const cyclic: Record<string, unknown> = {};
    cyclic.me = { again: cyclic };
    assert.throws(() => encodeValue(cyclic, 1000, 64), (error: Error & { code: string }) => error.code === 'circular' && error.message === '.me.again refers back to one of its parents (a circular structure)');
  });

  test('size and depth caps stop early', () => {
    assert.throws(() => encodeValue('x'.repeat(100), 50, 64), (error: Error & { code: string }) => error.code === 'too_large');
    const sparse: unknown[] = [];
    sparse.length = 1e9;
    assert.throws(() => encodeValue(sparse, 1000, 64), (error: Error & { code: string }) => error.code === 'too_large');
    let deep: unknown = 1;
    for (let i = 0; i < 10; i++) deep = [deep];
    assert.throws(() => encodeValue(deep, 1000, 5), (error: Error & { code: string }) => error.code === 'too_deep' && /nested deeper than 5 levels/.test(error.message));
  });

  test('getters are read as values, non-enumerable and symbol keys are skipped', () => {
    const value = Object.defineProperties({}, { a: { get: () => 1, enumerable: true }, hidden: { value: 2, enumerable: false } });
    (value as Record<symbol, number>)[Symbol('s')] = 3;
    assert.deepEqual(roundTrip(value), { a: 1 });
  });

  test('decoding refuses malformed text instead of guessing', () => {
    for (const text of ['', 'x{}', '0{', '1{"\\u0000":"zz","v":1}', '1{"\\u0000":"b","v":"12x"}', '1{"\\u0000":"y","v":"abc"}', '1{"\\u0000":"o","v":[[1,2]]}']) {
      assert.throws(() => decodeValue(text, 64, 1_000_000), (error: Error & { code: string }) => error.code === 'malformed', text);
    }
  });

  test('decoding a __proto__ key never changes a prototype', () => {
    const decoded = decodeValue('1{"\\u0000":"o","v":[["__proto__",{"x":1}],["\\u0000","kept"]]}', 64, 1_000_000) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
    assert.deepEqual(Object.keys(decoded), ['__proto__', '\u0000']);
    assert.equal(decoded['\u0000'], 'kept');
  });

  test('decoding checks size and nesting on the text itself, so a replaced JSON.stringify cannot get past the caps', () => {
    const isCode = (code: string) => (error: Error & { code: string }) => error.code === code;
    // What a harness with a replaced JSON.stringify could send: a million levels, or plain text past the size cap.
    const deep = '0' + '['.repeat(1e6) + ']'.repeat(1e6);
    assert.throws(() => decodeValue(deep, 64, 8e6), isCode('too_deep'));
    assert.throws(() => decodeValue('1' + '['.repeat(1e6) + ']'.repeat(1e6), 64, 8e6), isCode('too_deep'));
    assert.throws(() => decodeValue('0"' + 'x'.repeat(100) + '"', 64, 50), isCode('too_large'));
    // Brackets inside strings are text, not nesting.
    assert.equal(decodeValue('0' + JSON.stringify('['.repeat(500) + '\\"{'), 4, 1e6), '['.repeat(500) + '\\"{');
  });

  test('every value the encoder accepts at the depth cap decodes under the same cap', () => {
    const maxDepth = 6;
    // Plain arrays nest one JSON level per value level; objects owning the reserved key are tagged and nest three.
    const build = (withTags: boolean) => {
      let value: unknown = withTags ? undefined : 1;
      for (let i = 0; i < maxDepth; i++) value = withTags ? { '\u0000': 'reserved', next: value } : [value];
      return value;
    };
    for (const value of [build(false), build(true)]) {
      const text = encodeValue(value, 1e6, maxDepth);
      assert.deepEqual(decodeValue(text, maxDepth, 1e6), value);
    }
  });
});
