import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_SECURITY, BIMPLUS_SECURITY, CASE_BEARER_SECURITY, CASE_SECURITY } from './auth/auth.decorators';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with every auth scheme. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Messaging Service')
    .setDescription(
      'Case Messages API v3 (partners and providers on repair cases) and User Messages API v2 (portal notifications). ' +
        'Every error is `{"error": {"message": "…"}}`.',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'accessToken', description: 'v3 account token' }, CASE_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'v3 account token as Bearer' }, CASE_BEARER_SECURITY)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'v2 user token: `BimPlus <token>`' }, BIMPLUS_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, ADMIN_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
