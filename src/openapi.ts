import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { HeaderObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ADMIN_SECURITY, BIMPLUS_SECURITY, CASE_BEARER_SECURITY, CASE_HEADER_SECURITY, CASE_SECURITY, METRICS_SECURITY } from './auth/auth.decorators';
import { BODY_TOO_LARGE_MESSAGE } from './http/body-limit';
import { RETRY_AFTER } from './http/error-response.dto';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, with every auth scheme. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Messaging Service')
    .setDescription(
      'Case Messages API v3 (partners and providers on repair cases) and User Messages API v2 (portal notifications). ' +
        'Every error is `{"error": {"message": "…"}}`. Every answer carries `X-Request-Id` (the log line of the request has it; ' +
        'a client may send its own `X-Request-Id`).',
    )
    .setVersion('1.0')
    // Relative first: Swagger UI and generated clients call the host that served the document; the second is `npm start`.
    .addServer('/', 'The server that serves this document')
    .addServer('http://localhost:3000', 'Local demo (npm start)')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'accessToken', description: 'v3 account token' }, CASE_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'v3 account token as Bearer' }, CASE_BEARER_SECURITY)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Hub-Api-Token', description: 'v3 account token, as Service Order Hub clients send it' }, CASE_HEADER_SECURITY)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization', description: 'v2 user token: `BimPlus <token>`' }, BIMPLUS_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'ADMIN_TOKEN' }, ADMIN_SECURITY)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque', description: 'METRICS_TOKEN (only when it is set)' }, METRICS_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory });
  addPlatformResponses(document);
  addErrorExamples(document);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/**
 * `CaseMessagesController.create` → `caseMessagesCreate`: unique (one controller per path group, one handler
 * per method name) and readable as a generated method name in any language.
 */
function operationIdFactory(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return `${controller[0].toLowerCase()}${controller.slice(1)}${methodKey[0].toUpperCase()}${methodKey.slice(1)}`;
}

const ERROR_ENVELOPE = { $ref: '#/components/schemas/ErrorResponseDto' };
/** Routes that never answer the database's 503 (/metrics shows zero queue depths while it is away). */
const WITHOUT_DATABASE = new Set(['/metrics']);

/**
 * The answers every route can give that no controller states: 500 and 503 (database unavailable, with
 * Retry-After) everywhere but liveness; 413 and 415 where a body is read; 400 where a path or query
 * parameter is checked. Added to the document once, so no route can forget them.
 */
function addPlatformResponses(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation || path === '/health/live') continue;
      const add = (status: string, description: string, headers?: Record<string, HeaderObject>) => {
        operation.responses[status] ??= { description, content: { 'application/json': { schema: ERROR_ENVELOPE } }, ...(headers ? { headers } : {}) };
      };
      // Any POST, PUT or DELETE may carry a body, and the server reads one (and refuses a wrong one) whether or
      // not the route expects it.
      if (operation.requestBody || method !== 'get') {
        add('413', BODY_TOO_LARGE_MESSAGE);
        add('415', 'Unsupported content type: send application/json');
      }
      if ((operation.parameters ?? []).some((p) => 'in' in p && (p.in === 'path' || p.in === 'query'))) add('400', 'Invalid parameter; the message names it');
      add('500', 'Internal server error (no details; the log has them under the request id)');
      if (!WITHOUT_DATABASE.has(path)) add('503', 'Database temporarily unavailable; see Retry-After', RETRY_AFTER);
    }
  }
}

/** A message the service really sends with each status, for documents and mock servers to show. */
const ERROR_EXAMPLES: Record<string, string> = {
  '400': 'id must be a positive integer',
  '401': 'Invalid access token',
  '403': 'No access',
  '404': 'Not found',
  '409': 'Idempotency-Key was already used with a different request body',
  '413': BODY_TOO_LARGE_MESSAGE,
  '415': 'Unsupported content type: send application/json',
  '429': 'Too many requests; retry after the time in Retry-After',
  '500': 'Internal server error',
  '503': 'Service temporarily unavailable',
};

/** Every error answer shows the envelope with an example message. */
function addErrorExamples(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'patch', 'delete'] as const) {
      for (const [status, response] of Object.entries(item[method]?.responses ?? {})) {
        const json = response && 'content' in response ? response.content?.['application/json'] : undefined;
        const isEnvelope = json && 'schema' in json && json.schema && '$ref' in json.schema && json.schema.$ref === ERROR_ENVELOPE.$ref;
        if (isEnvelope && json.example === undefined && ERROR_EXAMPLES[status]) json.example = { error: { message: ERROR_EXAMPLES[status] } };
      }
    }
  }
}
