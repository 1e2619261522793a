import { errorCodes, FastifyInstance } from 'fastify';
import { BODY_LIMIT_BYTES } from './body-limit';

/**
 * Request bodies are JSON (`application/json` or `text/json`, up to BODY_LIMIT_BYTES), and an empty one is no body: the
 * original v2 API's clients send `Content-Type: application/json` on the bodiless mark and DELETE calls.
 * Any other content type is a 415 (Fastify's text/plain parser is removed: a JSON document sent as
 * text/plain would otherwise reach validation as one string and be echoed back in its error).
 */
export function installJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  // text/json: what the .NET clients of the original v2 service send.
  fastify.addContentTypeParser(['application/json', 'text/json'], { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, undefined);
    parseJson(request, body as string, done);
  });
  // Any other type: an empty body is no body either (.NET's `StringContent("")`, `fetch(url, { body: '' })`
  // send text/plain on the bodiless mark and DELETE calls); anything in it is a 415.
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type'] ?? ''), undefined);
  });
}
