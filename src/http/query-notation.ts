import { BadRequestException } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

/** Routes whose query parameter names are notation-indifferent, as the Service Order Hub's are. */
const NOTATION_INDIFFERENT_PREFIX = '/api/v3/';

/** `access_token` and `access-token` name `accessToken`; a camelCase name stays as it is. */
export function camelCaseName(name: string): string {
  return name.replace(/[-_]+([^-_])/g, (_match, next: string) => next.toUpperCase());
}

/**
 * The query with every name in camelCase, the notation the DTOs declare. One parameter under two
 * notations is the client's error: picking one silently could read a cursor or a token it did not mean.
 */
export function camelCaseQuery(query: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const given = new Map<string, string>();
  for (const [key, value] of Object.entries(query)) {
    const name = camelCaseName(key);
    const earlier = given.get(name);
    if (earlier !== undefined) throw new BadRequestException(`"${name}" is given twice, as "${earlier}" and "${key}": send it once`);
    given.set(name, key);
    result[name] = value;
  }
  return result;
}

/** Renames the query parameters of the v3 routes before the guards and pipes read them. */
export function installQueryNotation(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    if (!request.routeOptions.url?.startsWith(NOTATION_INDIFFERENT_PREFIX)) return;
    request.query = camelCaseQuery(request.query as Record<string, unknown>);
  });
}
