import { canonical, RESPONSE_NAMESPACE, responseKey } from './cache-keys';

describe('responseKey', () => {
  const base = { handler: 'PostsController.list', params: {}, query: { limit: 20, sort: 'new' } };

  it('does not depend on the order of query parameters', () => {
    expect(responseKey({ ...base, query: { sort: 'new', limit: 20 } })).toBe(responseKey(base));
  });

  it('ignores absent values, so defaults and explicit defaults share a key', () => {
    expect(responseKey({ ...base, query: { ...base.query, cursor: undefined, q: null } })).toBe(responseKey(base));
  });

  it('tells apart different handlers, params and values', () => {
    const keys = [
      responseKey(base),
      responseKey({ ...base, handler: 'UsersController.list' }),
      responseKey({ ...base, query: { limit: 21, sort: 'new' } }),
      responseKey({ ...base, params: { id: 'a' } }),
      responseKey({ ...base, query: { ...base.query, ingredient: ['basil', 'tomato'] } }),
      responseKey({ ...base, query: { ...base.query, ingredient: ['tomato', 'basil'] } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('scopes answers that depend on the caller to that caller', () => {
    const alice = responseKey({ ...base, callerId: 'alice' });
    const bob = responseKey({ ...base, callerId: 'bob' });
    expect(alice).not.toBe(bob);
    expect(alice).not.toBe(responseKey(base));
    expect(alice).toContain('caller=alice');
  });

  it('is namespaced by app version and response schema version', () => {
    expect(RESPONSE_NAMESPACE).toMatch(/^resp:\d+\.\d+\.\d+:\d+$/);
    expect(responseKey(base).startsWith(`${RESPONSE_NAMESPACE}:PostsController.list:public:`)).toBe(true);
  });

  it('cannot be confused by separators inside values', () => {
    expect(canonical({ a: 'x:y' })).not.toContain(':y');
    expect(responseKey({ ...base, params: { id: 'a:public' } })).not.toBe(responseKey({ ...base, params: { id: 'a' } }));
  });
});
