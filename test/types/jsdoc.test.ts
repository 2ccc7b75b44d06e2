import { test } from 'node:test';
import assert from 'node:assert/strict';
import { docFromSchema, escapeComment, makeDoc, renderDoc } from '../../src/types/jsdoc.js';

/** The one-line comment for a schema, or undefined when it has no doc. */
function docLine(schema: unknown): string | undefined {
  const lines = renderDoc(docFromSchema(schema), '');
  assert.ok(lines.length <= 1, lines.join('\n'));
  return lines[0];
}

test('a schema with neither a description nor a constraint gets no comment at all', () => {
  assert.equal(docLine({ type: 'string', title: 'Path' }), undefined);
  assert.equal(docLine({ type: 'string', description: '   ' }), undefined);
  assert.equal(docLine(true), undefined);
});

test('constraints print as short tags after the description, in a fixed order', () => {
  assert.equal(
    docLine({ type: 'integer', description: 'Page size.', default: 10, maximum: 100, minimum: 1, multipleOf: 5 }),
    '/** Page size. @integer @minimum 1 @maximum 100 @multipleOf 5 @default 10 */',
  );
  assert.equal(docLine({ type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z]+$' }), '/** @minLength 1 @maxLength 64 @pattern ^[a-z]+$ */');
  assert.equal(docLine({ type: 'array', minItems: 1, maxItems: 3, uniqueItems: true }), '/** @minItems 1 @maxItems 3 @uniqueItems */');
  assert.equal(docLine({ type: 'object', minProperties: 1, maxProperties: 2 }), '/** @minProperties 1 @maxProperties 2 */');
  assert.equal(docLine({ type: 'string', deprecated: true, examples: ['a@b.c', 'x'] }), '/** @deprecated @example "a@b.c" */');
  assert.equal(docLine({ type: 'string', example: 'x' }), '/** @example "x" */');
});

test('a format replaces the pattern zod adds for it', () => {
  assert.equal(docLine({ type: 'string', format: 'email', pattern: '^(?:[A-Za-z0-9_+-]+\\.)*$' }), '/** @format email */');
  assert.equal(docLine({ type: 'string', format: 'date-time' }), '/** @format date-time */');
});

test('exclusive bounds print in both the 2020-12 and the draft-04 form', () => {
  assert.equal(docLine({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }), '/** @exclusiveMinimum 0 @exclusiveMaximum 1 */');
  assert.equal(docLine({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false }), '/** @exclusiveMinimum 0 @maximum 9 */');
});

test('zod safe-integer bounds, long defaults and long patterns are left out as noise', () => {
  assert.equal(docLine({ type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }), '/** @integer */');
  assert.equal(docLine({ type: 'string', default: 'x'.repeat(100) }), undefined);
  assert.equal(docLine({ type: 'string', pattern: 'a'.repeat(121) }), undefined);
  assert.equal(docLine({ default: 10n as unknown }), undefined);
});

test('a nullable wrapper is looked through, and its own keywords win', () => {
  assert.equal(
    docLine({ anyOf: [{ type: 'integer', minimum: 1, description: 'inner' }, { type: 'null' }], default: null, description: 'Limit.' }),
    '/** Limit. @integer @minimum 1 @default null */',
  );
  assert.equal(docLine({ anyOf: [{ type: 'string', description: 'Inner.' }, { type: 'null' }] }), '/** Inner. */');
});

test('*/ inside any description, pattern or value cannot close the comment', () => {
  assert.equal(
    docLine({ type: 'string', description: 'a */ b', pattern: 'x*/', default: '*/' }),
    '/** a *\\/ b @pattern x*\\/ @default "*\\/" */',
  );
  assert.equal(escapeComment('**/'), '**\\/');
  const block = renderDoc(makeDoc('*/*/ ok */'), '  ').join('\n');
  assert.equal(block.indexOf('*/'), block.length - 2, block);
});

test('multi-line descriptions and long comments use a block with one line per line', () => {
  assert.deepEqual(renderDoc(makeDoc('First.\r\n\r\nSecond.\u2028Third.', [['default', '1']]), '  '), [
    '  /**',
    '   * First.',
    '   *',
    '   * Second.',
    '   * Third.',
    '   * @default 1',
    '   */',
  ]);
  const long = 'word '.repeat(30).trim();
  assert.deepEqual(renderDoc(makeDoc(long), ''), ['/**', ` * ${long}`, ' */']);
});

test('line breaks inside a tag value are flattened so the tag stays one line', () => {
  assert.deepEqual(renderDoc(makeDoc(undefined, [['pattern', 'a\nb']]), ''), ['/** @pattern a b */']);
});
