import fastifyCompress from '@fastify/compress';
import { FastifyInstance } from 'fastify';
import { constants } from 'node:zlib';

/**
 * Answers over 1 KiB are gzip- or deflate-compressed when the client's Accept-Encoding asks for it. The SSE
 * stream writes to the raw socket (reply.hijack), so its events never wait in a compression buffer. Request
 * bodies are not decompressed: a compressed body would get past the body limit before it is inflated.
 */
export async function installCompression(fastify: FastifyInstance): Promise<void> {
  await fastify.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['gzip', 'deflate'],
    globalDecompression: false,
    // Level 6 (zlib's default) costs about twice level 4 for a few per cent smaller JSON answers.
    zlibOptions: { level: 4, memLevel: constants.Z_DEFAULT_MEMLEVEL },
  });
}
