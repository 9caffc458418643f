import { prototypeKeyErrors } from './app-validation.pipe';

describe('prototypeKeyErrors', () => {
  it('finds keys named like Object.prototype members, at any depth, with their paths', () => {
    const input = JSON.parse('{"title":"x","constructor":1,"ingredients":[{"name":"a"},{"toString":"b"}],"nested":{"__proto__":{}}}');
    expect(prototypeKeyErrors(input).map((e) => e.field)).toEqual(['constructor', 'ingredients.1.toString', 'nested.__proto__']);
  });

  it('passes ordinary keys and values', () => {
    expect(prototypeKeyErrors({ title: 'constructor', tags: ['toString'], n: 1 })).toEqual([]);
    expect(prototypeKeyErrors(null)).toEqual([]);
    expect(prototypeKeyErrors('constructor')).toEqual([]);
  });
});
