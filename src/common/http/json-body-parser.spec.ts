import { parseJsonObject } from './json-body-parser';

describe('parseJsonObject', () => {
  it('returns a JSON object', () => {
    expect(parseJsonObject('{"a": {"b": [1, "x"]}}')).toEqual({ a: { b: [1, 'x'] } });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['null', /must be a JSON object/],
    ['[1]', /must be a JSON object/],
    ['"s"', /must be a JSON object/],
    ['{"a":', /not valid JSON/],
    ['{"__proto__": {"x": 1}}', /__proto__/],
    ['{"a": {"constructor": {"prototype": {}}}}', /__proto__ or constructor/],
    ['{"a": "x\\u0000y"}', /U\+0000/],
    ['{"a\\u0000": 1}', /U\+0000/],
  ])('rejects %j', (text, message) => {
    expect(() => parseJsonObject(text)).toThrow(message);
    try {
      parseJsonObject(text);
    } catch (error) {
      expect((error as { statusCode: number }).statusCode).toBe(400);
    }
  });
});
