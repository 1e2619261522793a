export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The 413 answer (and its OpenAPI description), worded from BODY_LIMIT_BYTES. */
export const BODY_TOO_LARGE_MESSAGE = `Request body is too large (limit ${BODY_LIMIT_BYTES / (1024 * 1024)} MiB)`;
