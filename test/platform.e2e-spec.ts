import { registration } from './support/accounts';
import { startTestApp, type TestApp } from './support/test-app';

describe('docs, health and limits (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '5' } });
  });
  afterAll(() => t.close());

  it('serves the OpenAPI document describing every endpoint of the contract', async () => {
    const response = await t.http.get('/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /health',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
        'POST /api/v1/auth/register',
        'GET /api/v1/auth/confirm',
        'POST /api/v1/auth/confirm/resend',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/refresh',
        'POST /api/v1/auth/logout',
        'POST /api/v1/auth/password/forgot',
        'POST /api/v1/auth/password/reset',
        'POST /api/v1/auth/password/change',
        'GET /api/v1/users',
        'GET /api/v1/users/me',
        'PATCH /api/v1/users/me',
        'DELETE /api/v1/users/me',
        'GET /api/v1/users/{id}',
        'GET /api/v1/users/{id}/posts',
        'GET /api/v1/posts',
        'POST /api/v1/posts',
        'GET /api/v1/posts/{id}',
        'PUT /api/v1/posts/{id}',
        'PATCH /api/v1/posts/{id}',
        'DELETE /api/v1/posts/{id}',
        'PUT /api/v1/posts/{id}/like',
        'DELETE /api/v1/posts/{id}/like',
        'GET /api/v1/posts/{id}/comments',
        'POST /api/v1/posts/{id}/comments',
        'GET /api/v1/posts/{id}/comments/{commentId}',
        'DELETE /api/v1/posts/{id}/comments/{commentId}',
        'GET /api/v1/ingredients',
        'POST /api/v1/ingredients',
        'GET /api/v1/ingredients/{id}',
        'PUT /api/v1/users/{id}/follow',
        'DELETE /api/v1/users/{id}/follow',
        'GET /api/v1/users/{id}/followers',
        'GET /api/v1/users/{id}/following',
        'GET /api/v1/feed',
        'PUT /api/v1/posts/{id}/save',
        'DELETE /api/v1/posts/{id}/save',
        'GET /api/v1/users/me/saved',
        'POST /api/v1/posts/{id}/photos',
        'GET /api/v1/posts/{id}/photos',
        'GET /api/v1/photos/{id}',
        'DELETE /api/v1/photos/{id}',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/api/v1/users/me'].get.security).toEqual([{ bearer: [] }]);
    // Public reads personalised by an optional token: anonymous or bearer.
    expect(doc.paths['/api/v1/posts'].get.security).toEqual([{}, { bearer: [] }]);
    expect(doc.components.schemas.PostSummaryDto.properties.liked).toMatchObject({ type: 'boolean' });
    expect(doc.components.schemas.PostSummaryDto.required).not.toContain('liked');
    expect(doc.components.schemas.PublicUserDto.required).toEqual(expect.arrayContaining(['followersCount', 'followingCount']));
    expect(doc.paths['/api/v1/auth/register'].post.responses['409'].content['application/problem+json'].schema.$ref).toBe(
      '#/components/schemas/ProblemDetailsDto',
    );
    expect(doc.components.schemas.RegisterDto.properties.password).toMatchObject({ minLength: 8, maxLength: 128 });
    expect(doc.components.schemas.PublicUserDto.properties.email).toBeUndefined();
    expect(doc.components.schemas.PublicUserPage.properties.items).toMatchObject({ type: 'array' });
    expect(doc.components.schemas.PostSummaryDto.properties.body).toBeUndefined();
    expect(doc.components.schemas.PostInputDto.properties.title).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(doc.components.schemas.PostInputDto.required).toEqual(expect.arrayContaining(['title', 'body', 'complexity', 'ingredients']));
    expect(doc.components.schemas.PatchPostDto.required ?? []).toEqual([]);
    const listParams = doc.paths['/api/v1/posts'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort();
    expect(listParams).toEqual(
      ['header:Cache-Control', 'header:If-None-Match', ...['author', 'complexity', 'cursor', 'ingredient', 'limit', 'q', 'sort'].map((n) => `query:${n}`)].sort(),
    );
    expect(doc.paths['/api/v1/posts'].get.responses['304']).toBeDefined();
    expect(doc.paths['/api/v1/users/me'].get.responses['304']).toBeUndefined();
    expect(doc.paths['/api/v1/posts/{id}'].put.responses['403']).toBeDefined();
  });

  it('serves Swagger UI and Redoc without any CDN', async () => {
    const swagger = await t.http.get('/docs');
    expect(swagger.status).toBe(200);
    expect(swagger.text).toContain('swagger-ui');
    const redoc = await t.http.get('/redoc');
    expect(redoc.status).toBe(200);
    expect(redoc.text).toContain('<script src="/redoc/redoc.standalone.js">');
    expect(redoc.text).not.toMatch(/https?:\/\//);
    const bundle = await t.http.get('/redoc/redoc.standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
  });

  it('reports health with the state of each dependency', async () => {
    const response = await t.http.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      status: 'ok',
      checks: { database: { status: 'up' }, cache: { status: 'up', store: process.env.REDIS_URL ? 'redis' : 'memory' }, jobs: { status: 'up', waiting: 0, inline: true } },
    });
  });

  it('rate-limits the auth endpoints with a 429 problem and Retry-After', async () => {
    const statuses: number[] = [];
    let limited;
    for (let i = 0; i < 7; i += 1) {
      const response = await t.http.post('/api/v1/auth/confirm/resend', { email: registration().email });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited!.body.detail).toMatch(/^Too many requests/);
    expect(limited!.text).not.toMatch(/Exception/);
    expect((await t.http.get('/api/v1/users')).status).toBe(200);
  });
});
