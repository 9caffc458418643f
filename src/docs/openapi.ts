import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { chooseEncoding, type Precompressed, precompress } from '../common/http/compression';
import { PROBLEM_CONTENT_TYPE } from '../common/errors/problem-details';
import { type RateLimitName, rateLimitBucket } from '../rate-limits/rate-limit-policy';
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

const RATE_LIMITS: Record<RateLimitName, string> = {
  auth: '`AUTH_RATE_LIMIT` requests a minute per client IP on `/api/v1/auth/*` (default 20)',
  write: '`WRITE_RATE_LIMIT` writes a minute per account (default 120)',
  read: '`READ_RATE_LIMIT` anonymous reads a minute per client IP (default: no limit)',
};

/**
 * What holds for every operation, said once here rather than on each: operations without
 * @Authenticated() are public (`security: []`), every answer carries X-Request-Id, and operations
 * under a rate limit (decided by rateLimitBucket, as for requests) document its headers and 429.
 */
function finishDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = {
    ...document.components,
    headers: {
      'X-Request-Id': { description: 'The request’s id (the client’s own when it sent a sane one): quote it when reporting a problem.', schema: { type: 'string' } },
      'RateLimit-Limit': { description: 'Requests allowed in the current one-minute window (counted across all instances).', schema: { type: 'integer' } },
      'RateLimit-Remaining': { description: 'Requests left in the current window.', schema: { type: 'integer', minimum: 0 } },
      'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer', minimum: 0 } },
      'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.security ??= [];
      // Counted as an anonymous caller when the operation can be called without a token.
      const anonymous = operation.security.length === 0 || operation.security.some((requirement) => Object.keys(requirement).length === 0);
      const limit = rateLimitBucket(method.toUpperCase(), path, 'client', anonymous ? undefined : 'account')?.name;
      for (const [status, response] of Object.entries(operation.responses) as [string, { headers?: Record<string, unknown> }][]) {
        response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
        if (limit && status !== '429') {
          for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) response.headers[name] = { $ref: `#/components/headers/${name}` };
        }
      }
      if (limit) {
        operation.responses['429'] = {
          description: `Over the rate limit: ${RATE_LIMITS[limit]}. Wait \`Retry-After\` seconds.`,
          headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' }, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
          content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetailsDto' } } },
        };
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
