import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { chooseEncoding, type Precompressed, precompress } from '../common/http/compression';
import { RATE_LIMITED_EXTENSION } from '../common/http/rate-limit.guard';
import { AppConfig } from '../config/app-config';

export const BEARER_AUTH = 'bearer';

const TAGS: [string, string][] = [
  ['auth', 'Accounts: registration and e-mail confirmation, sessions (login, refresh, logout), passwords.'],
  ['users', 'Profiles and the caller’s own account.'],
  ['posts', 'Recipes, their likes and comments.'],
  ['ingredients', 'The shared ingredient vocabulary and autocomplete.'],
  ['social', 'Follows, the caller’s feed and saved recipes. Answers about posts and users carry the caller’s viewer flags (`liked`, `saved`, `following`) when a valid access token is sent.'],
  ['photos', 'Recipe photos: uploads processed in the background into upright WebP variants without metadata.'],
  ['health', 'Probes and metrics for operators.'],
];

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  const builder = new DocumentBuilder()
    .setTitle('Chop-chop API')
    .setDescription(
      'REST API of Chop-chop, a recipe-sharing platform. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`, with the request’s `requestId`). Authenticate with `Authorization: Bearer <accessToken>` ' +
        'from `POST /api/v1/auth/login`. Lists are keyset-paginated: pass `nextCursor` back as `cursor`.',
    )
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer(config.appUrl, 'This deployment (APP_URL).')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return finishDocument(SwaggerModule.createDocument(app, builder.build(), { extraModels: [ProblemDetailsDto] }));
}

/**
 * What holds for every operation, said once here rather than on each: operations without
 * @Authenticated() are public (`security: []`), every answer carries X-Request-Id, and answers of
 * @RateLimited() operations carry the RateLimit headers.
 */
function finishDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    headers: {
      'X-Request-Id': { description: 'The request’s id (the client’s own when it sent a sane one): quote it when reporting a problem.', schema: { type: 'string' } },
      'RateLimit-Limit': { description: 'Requests allowed in the current window.', schema: { type: 'integer' } },
      'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer', minimum: 0 } },
      'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer', minimum: 0 } },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      const rateLimited = (operation as unknown as Record<string, unknown>)[RATE_LIMITED_EXTENSION] === true;
      for (const [status, response] of Object.entries(operation.responses) as [string, { headers?: Record<string, unknown> }][]) {
        response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
        // Counted requests answer with the window's state; a 429 (refused before counting) with Retry-After.
        if (rateLimited && status !== '429') {
          for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) response.headers[name] = { $ref: `#/components/headers/${name}` };
        }
      }
    }
  }
  return document;
}

/** Swagger UI at /docs, Redoc at /redoc (bundle served from the installed package: works offline), JSON at /openapi.json. */
export function setupDocs(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });

  // Redoc's sidebar footer loads its logo from Redocly's CDN: pointed at a local copy, so the docs
  // work offline and under a CSP that allows this host only.
  const redocBundle = Buffer.from(
    readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8').replaceAll(REDOC_CDN_LOGO, '/redoc/logo-mini.svg'),
  );
  let compressed: Promise<Precompressed> | undefined; // 1.1 MB: compressed once, on first use
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/redoc', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').header('Content-Security-Policy', REDOC_CSP).send(REDOC_PAGE);
  });
  fastify.get('/redoc/logo-mini.svg', (_request, reply) => {
    void reply.type('image/svg+xml').header('Cache-Control', 'public, max-age=86400').send(REDOC_LOGO);
  });
  fastify.get('/redoc/redoc.standalone.js', async (request, reply) => {
    const variants = await (compressed ??= precompress(redocBundle));
    const encoding = chooseEncoding(request.headers['accept-encoding'], variants);
    void reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').header('Vary', 'Accept-Encoding');
    if (encoding) void reply.header('Content-Encoding', encoding);
    return encoding ? variants[encoding] : redocBundle;
  });
}

const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const REDOC_LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#e4572e"/></svg>';
// Redoc renders with inline styles and workers made from blobs; nothing may come from another host.
const REDOC_CSP = "default-src 'self'; script-src 'self' blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:";

const REDOC_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Chop-chop API — Redoc</title>
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="/redoc/logo-mini.svg" type="image/svg+xml" />
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/redoc/redoc.standalone.js"></script>
  </body>
</html>`;
