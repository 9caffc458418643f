import fc from 'fast-check';
import { type Account, signUp } from './support/accounts';
import { runs } from './support/arbitraries';
import { expectContractAnswer } from './support/problems';
import { createPost, postInput } from './support/posts';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Names compare case-insensitively the same way everywhere (create, filter, autocomplete,
 * POST /ingredients), whatever the script: the fold happens in SQL only (fold_key).
 */
describe('Unicode names (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  beforeAll(async () => {
    t = await startTestApp();
    cook = await signUp(t);
  });
  afterAll(() => t.close());

  const ingredient = (name: string) => t.http.post('/api/v1/ingredients', { name }, { token: cook.accessToken });
  const filter = (name: string) => t.http.get(`/api/v1/posts?ingredient=${encodeURIComponent(name)}`);

  // Pairs JavaScript's toLowerCase() and PostgreSQL's lower() disagree on, or that differ only by form.
  it.each([
    ['Turkish dotted capital I', 'İSKENDER', 'i̇skender'],
    ['Greek final sigma', 'ΣΟΥΒΛΑΚΙ Σ', 'σουβλακι ς'],
    ['a ligature', 'ﬁgs', 'FIGS'],
    ['composed and decomposed é', 'Crème fraîche', 'CRE\u0300ME FRAI\u0302CHE'],
    ['full-width letters', 'ＴＯＦＵ', 'tofu'],
  ])('%s: one ingredient, found by either spelling in every lookup', async (_case, created, other) => {
    const post = await createPost(t, cook, { ingredients: [{ name: created, quantity: '1' }] });
    const id = post.ingredients[0].id;
    const again = await ingredient(other);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect((await filter(other)).body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
    expect((await filter(created)).body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
    expect((await t.http.get(`/api/v1/ingredients?q=${encodeURIComponent(other)}`)).body.items.map((i: { id: number }) => i.id)).toContain(id);
    // Both spellings in one post are the same ingredient twice: a 400, not a 500.
    const twice = await t.http.post('/api/v1/posts', postInput({ ingredients: [{ name: created }, { name: other }] }), { token: cook.accessToken });
    expect(twice.status).toBe(400);
  });

  it('names are trimmed wherever they are given: creating, filtering, adding', async () => {
    const post = await createPost(t, cook, { ingredients: [{ name: '  Sumac ' }] });
    expect(post.ingredients[0].name).toBe('Sumac');
    expect((await filter(' sumac  ')).body.items.map((p: { id: string }) => p.id)).toEqual([post.id]);
    expect((await ingredient('SUMAC ')).body.id).toBe(post.ingredients[0].id);
  });

  it('autocomplete treats LIKE wildcards, including ones folding produces, as text', async () => {
    await ingredient('100% rye');
    await ingredient('1000 island dressing');
    const names = async (q: string) => (await t.http.get(`/api/v1/ingredients?q=${encodeURIComponent(q)}`)).body.items.map((i: { name: string }) => i.name);
    expect((await names('100%'))[0]).toBe('100% rye');
    expect((await names('100％'))[0]).toBe('100% rye'); // full-width percent folds to %
    expect((await names('1000'))[0]).toBe('1000 island dressing');
    // Unescaped, these would be LIKE '%%' and '_%': every ingredient.
    expect(await names('%')).toEqual([]);
    expect(await names('％')).toEqual([]);
    expect(await names('_')).toEqual([]);
  });

  const unicodeName = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0 && !s.includes('\u0000'));

  it('any Unicode name: a post with it is 201 or 400, and a 201 is found by that exact name everywhere', async () => {
    await fc.assert(
      fc.asyncProperty(unicodeName, async (name) => {
        const created = await t.http.post('/api/v1/posts', postInput({ title: 'Unicode', ingredients: [{ name }] }), { token: cook.accessToken });
        expectContractAnswer(created);
        expect([201, 400]).toContain(created.status);
        if (created.status !== 201) return;
        const id = created.body.ingredients[0].id;
        expect(created.body.ingredients[0].name).toBe(created.body.ingredients[0].name.trim());
        const existing = await ingredient(name);
        expect(existing.status).toBe(200);
        expect(existing.body.id).toBe(id);
        const found = await filter(name);
        expect(found.status).toBe(200);
        expect(found.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);
      }),
      runs(60),
    );
  });
});
