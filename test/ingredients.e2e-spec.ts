import { signUp, type Account } from './support/accounts';
import type { ApiResponse } from './support/http-client';
import { createPost } from './support/posts';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

describe('ingredients (e2e)', () => {
  let t: TestApp;
  let cook: Account;
  beforeAll(async () => {
    t = await startTestApp();
    cook = await signUp(t);
    for (const name of ['Tomato', 'Tomatillo', 'Sun-dried tomato', 'Potato', 'Basil', 'Thai basil']) {
      await t.http.post('/api/v1/ingredients', { name }, { token: cook.accessToken });
    }
  });
  afterAll(() => t.close());

  const names = (response: { body: { items: { name: string }[] } }) => response.body.items.map((i) => i.name);

  it('creates an ingredient once: 201 then 200 with the same row, trimmed and case-insensitive', async () => {
    const created = await t.http.post('/api/v1/ingredients', { name: '  Cardamom ' }, { token: cook.accessToken });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), name: 'Cardamom' });
    expect(created.headers.get('location')).toBe(`/api/v1/ingredients/${created.body.id}`);
    const again = await t.http.post('/api/v1/ingredients', { name: 'CARDAMOM' }, { token: cook.accessToken });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    expect((await t.http.post('/api/v1/ingredients', { name: 'x' })).status).toBe(401);
    expect((await t.http.post('/api/v1/ingredients', { name: 'n'.repeat(101) }, { token: cook.accessToken })).status).toBe(400);
    expect((await t.http.post('/api/v1/ingredients', { name: '   ' }, { token: cook.accessToken })).status).toBe(400);
  });

  it('autocompletes: prefix matches first, then fuzzy ones', async () => {
    const response = await t.http.get('/api/v1/ingredients?q=tom');
    expect(response.status).toBe(200);
    expect(names(response).slice(0, 2).sort()).toEqual(['Tomatillo', 'Tomato']);
    expect(names(response)).toContain('Sun-dried tomato');
    expect(names(response)).not.toContain('Basil');
    expect(names(await t.http.get('/api/v1/ingredients?q=BASIL'))[0]).toBe('Basil');
    expect(names(await t.http.get('/api/v1/ingredients?q=tomatoe'))).toContain('Tomato');
    expect((await t.http.get('/api/v1/ingredients?q=%25')).body.items).toEqual([]);
    expect((await t.http.get('/api/v1/ingredients?q=tom&limit=1')).body.items).toHaveLength(1);
  });

  it('pages through all ingredients by cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await t.http.get(`/api/v1/ingredients?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...names(page));
      cursor = page.body.nextCursor;
    } while (cursor);
    const [{ n }] = await sql<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM ingredients');
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it('shows how many recipes use an ingredient', async () => {
    await createPost(t, cook, { ingredients: [{ name: 'tomato' }, { name: 'basil' }] });
    await createPost(t, cook, { ingredients: [{ name: 'Tomato' }] });
    const tomato = (await t.http.get('/api/v1/ingredients?q=tomato')).body.items.find((i: { name: string }) => i.name === 'Tomato');
    expect((await t.http.get(`/api/v1/ingredients/${tomato.id}`)).body).toEqual({ id: tomato.id, name: 'Tomato', postsCount: 2 });
    expect((await t.http.get('/api/v1/ingredients/999999')).status).toBe(404);
    for (const bad of ['abc', '0', '-1', '1.5', '99999999999']) expect((await t.http.get(`/api/v1/ingredients/${bad}`)).status).toBe(400);
  });

  it('creates the same new ingredient from concurrent posts without failing or duplicating', async () => {
    const cooks = await Promise.all(Array.from({ length: 6 }, () => signUp(t)));
    const responses = await Promise.all(
      cooks.map((c, i) => t.http.post('/api/v1/posts', {
        title: `Dragonfruit ${i}`, body: 'Slice it.', complexity: 'easy',
        ingredients: [{ name: i % 2 ? 'Dragon Fruit' : 'dragon fruit' }, { name: `garnish ${i}` }],
      }, { token: c.accessToken })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(201));
    const rows = await sql(t.databaseUrl, `SELECT id FROM ingredients WHERE lower(name) = 'dragon fruit'`);
    expect(rows).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.ingredients[0].id))).toEqual(new Set([rows[0].id]));
  });

  it('answers concurrent POST /ingredients of one name with exactly one 201', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => t.http.post('/api/v1/ingredients', { name: 'Yuzu' }, { token: cook.accessToken })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
  });
});
