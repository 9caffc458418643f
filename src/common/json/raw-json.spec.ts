import fc from 'fast-check';
import { RawJson, stringifyWithRaw } from './raw-json';

/** A JSON value with some of its objects and arrays replaced by RawJson of their own text. */
const withRaws = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }), // every code point, \u0002 and `{"\u0002":1}` included
    fc.integer(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }).map((object) => new RawJson(JSON.stringify(object))),
  ),
})).value;

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)); // RawJson's own toJSON parses its text

describe('RawJson', () => {
  it('writes raw texts in where they stood; whatever strings hold, nothing else is replaced', () => {
    fc.assert(
      fc.property(withRaws, (value) => {
        expect(JSON.parse(stringifyWithRaw(value))).toEqual(plain(value));
      }),
    );
  });

  it('is byte-identical to JSON.stringify when the raw text is what JSON.stringify would write', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.uuid(), title: fc.string({ unit: 'binary' }) }), { maxLength: 5 }), (items) => {
        expect(stringifyWithRaw({ items: items.map((item) => new RawJson(JSON.stringify(item))), nextCursor: null })).toBe(JSON.stringify({ items, nextCursor: null }));
      }),
    );
  });

  it('adds a tail as the last members of its object, only while serialised by stringifyWithRaw', () => {
    const raw = new RawJson('{"id":"a"}', () => ',"extra":1');
    expect(stringifyWithRaw([raw])).toBe('[{"id":"a","extra":1}]');
    expect(raw.text()).toBe('{"id":"a","extra":1}');
    expect(JSON.stringify(new RawJson('{"id":"a"}'))).toBe('{"id":"a"}');
  });

  it('nests: a stringifyWithRaw inside a toJSON keeps the outer one’s raws', () => {
    const inner = { toJSON: () => JSON.parse(stringifyWithRaw({ b: new RawJson('[1,2]') })) as unknown };
    expect(stringifyWithRaw({ a: new RawJson('{"x":true}'), inner, c: new RawJson('"s"') })).toBe('{"a":{"x":true},"inner":{"b":[1,2]},"c":"s"}');
  });
});
