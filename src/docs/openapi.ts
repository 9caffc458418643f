import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { ProblemDetailsDto } from '../common/errors/problem-details';
import { chooseEncoding, type Precompressed, precompress } from '../common/http/compression';

export const BEARER_AUTH = 'bearer';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Chop-chop API')
    .setDescription(
      'REST API of Chop-chop, a recipe-sharing platform. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`). Authenticate with `Authorization: Bearer <accessToken>` from `POST /api/v1/auth/login`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_AUTH)
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetailsDto] });
}

/** Swagger UI at /docs, Redoc at /redoc (bundle served from the installed package: works offline), JSON at /openapi.json. */
export function setupDocs(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });

  const redocBundle = readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'));
  let compressed: Promise<Precompressed> | undefined; // 1.1 MB: compressed once, on first use
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/redoc', (_request, reply) => {
    void reply.type('text/html; charset=utf-8').send(REDOC_PAGE);
  });
  fastify.get('/redoc/redoc.standalone.js', async (request, reply) => {
    const variants = await (compressed ??= precompress(redocBundle));
    const encoding = chooseEncoding(request.headers['accept-encoding'], variants);
    void reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').header('Vary', 'Accept-Encoding');
    if (encoding) void reply.header('Content-Encoding', encoding);
    return encoding ? variants[encoding] : redocBundle;
  });
}

const REDOC_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Chop-chop API — Redoc</title>
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/redoc/redoc.standalone.js"></script>
  </body>
</html>`;
