import { NestFastifyApplication } from '@nestjs/platform-fastify';

type CorsOptions = Parameters<NestFastifyApplication['enableCors']>[0];

/** CORS for the comma-separated CORS_ORIGINS; none given, no cross-origin access. */
export function corsOptions(corsOrigins: string): CorsOptions {
  const origins = corsOrigins.split(',').map((o) => o.trim()).filter(Boolean);
  return {
    origin: origins.length > 0 ? origins : false,
    // The default is GET,HEAD,POST: a portal could not DELETE a message or an admin UI PUT a webhook.
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    exposedHeaders: ['Link', 'Retry-After', 'X-Request-Id'],
  };
}
