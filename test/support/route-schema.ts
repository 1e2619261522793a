import Fastify from 'fastify';

/** Status code and body Fastify answers when a route with `schema` returns `payload`: what a client receives. */
export async function serializeWithRouteSchema(schema: object, payload: unknown): Promise<{ statusCode: number; body: string }> {
  const app = Fastify();
  app.get('/', { schema }, async () => payload);
  try {
    const response = await app.inject({ method: 'GET', url: '/' });
    return { statusCode: response.statusCode, body: response.body };
  } finally {
    await app.close();
  }
}
