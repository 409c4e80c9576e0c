import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { publicSecurity } from './common/api-security';

function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return JSON.parse(readFileSync(path.resolve(__dirname, rel), 'utf8')).version;
    } catch {
      /* try the next layout (src/ vs dist/src/) */
    }
  }
  return '0.0.0';
}

/** The OpenAPI document of every route, built from controllers, DTOs and dialect schemas. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Footfall')
    .setDescription(
      'Self-hostable, multi-tenant web analytics. Management routes take a user access token ' +
        '(POST /api/auth/login); query routes also accept API keys with the read scope; ingestion ' +
        'routes speak the Sparklytics, Ovyxa, Rybbit and Web Analyzer dialects and Footfall\'s own.',
    )
    .setVersion(packageVersion())
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'User access token (JWT) or API key (ff_live_...)' })
    // Relative: wherever a Footfall serves this document is the server it describes.
    .addServer('/', 'The Footfall instance serving this document')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  return publicSecurity(document);
}

/** Serves the document at /openapi.json and Swagger UI at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
