import fc from 'fast-check';

/** Runs per property: FC_RUNS raises it for a deeper local search (FC_SEED replays a failure). */
export function runs(base: number): { numRuns: number; seed?: number } {
  const factor = Number(process.env.FC_RUNS_FACTOR ?? 1);
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
  return { numRuns: Math.max(1, Math.round(base * factor)), ...(seed !== undefined ? { seed } : {}) };
}

/** Characters that have broken services before: NUL, lone surrogates, combining marks, case oddities, astral planes. */
const TRICKY = ['\u0000', '\ud800', '\udfff', '\u0301', '\u200d', 'İ', 'ı', 'ς', 'Σ', 'ß', 'ﬁ', 'Ａ', '％', '%', '_', '\\', "'", '"', '𝒜', '😀', '\u202e', '\n', ' '];

/** Any string: random code points, or runs of the tricky ones. */
export const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...TRICKY), maxLength: 20 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 30 }),
);

/** Keys a body or query might carry: the endpoint's own, anything, and Object.prototype's members. */
export function anyKey(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isAdmin', 'prototype') },
    { weight: 1, arbitrary: anyString },
  );
}

/** A value of any JSON type, strings drawn from anyString. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A JSON body as text: mostly objects with the endpoint's fields (with arbitrary values), sometimes anything. */
export function anyBody(known: string[]): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.dictionary(anyKey(known), anyJson, { maxKeys: known.length + 2 }) },
      { weight: 1, arbitrary: anyJson },
    )
    .map((value) => JSON.stringify(value) ?? 'null');
}

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encode = (text: string): string => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');

/** A query string: the endpoint's parameters and others, repeated or not, with any values; sometimes broken encoding. */
export function anyQuery(known: string[]): fc.Arbitrary<string> {
  const pair = fc.tuple(anyKey(known), fc.oneof(anyString, fc.integer().map(String), fc.constantFrom('', '0', '-1', '101', '1e3', 'true')));
  return fc
    .tuple(fc.array(pair, { maxLength: 5 }), fc.constantFrom('', '&%ZZ=1', '&limit=%C3', '&q=%', '&&', '&=x'))
    .map(([pairs, broken]) => pairs.map(([key, value]) => `${encode(key)}=${encode(value)}`).join('&') + broken);
}
