import { BadRequestException, NotFoundException } from '@nestjs/common';
import { isDatabaseUnavailable, mapError } from './error-mapping';

describe('mapError', () => {
  it('keeps HTTP exceptions and their message', () => {
    expect(mapError(new NotFoundException('Case not found'))).toEqual({ status: 404, message: 'Case not found', unexpected: false });
    expect(mapError(new BadRequestException(['a', 'b']))).toMatchObject({ status: 400, message: 'a; b' });
  });

  it('turns an unreachable database into a 503', () => {
    expect(mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503 });
    expect(mapError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ status: 503 });
    expect(isDatabaseUnavailable({ driverError: { code: '57P01' } })).toBe(true);
  });

  it('maps fastify body errors to 4xx with our wording', () => {
    expect(mapError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: 'x' })).toEqual({
      status: 413,
      message: 'Request body is too large (limit 1 MiB)',
      unexpected: false,
    });
    expect(mapError({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'x' })).toMatchObject({ status: 400 });
  });

  it('hides everything else behind a 500', () => {
    const mapped = mapError(new TypeError('cannot read property x of undefined'));
    expect(mapped).toEqual({ status: 500, message: 'Internal server error', unexpected: true });
  });
});
