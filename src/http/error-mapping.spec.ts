import { BadRequestException, HttpException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { isDatabaseUnavailable } from '../database/database-errors';
import { mapError } from './error-mapping';
import { RetryLaterException } from './retry-later.exception';

describe('mapError', () => {
  it('keeps HTTP exceptions and their message', () => {
    expect(mapError(new NotFoundException('Case not found'))).toEqual({ status: 404, message: 'Case not found', unexpected: false });
    expect(mapError(new BadRequestException(['a', 'b']))).toMatchObject({ status: 400, message: 'a; b' });
  });

  it('maps feature errors to their status, with their message as it is', () => {
    expect(mapError(new DomainError('INVALID', 'filter must be given once'))).toEqual({ status: 400, message: 'filter must be given once', unexpected: false });
    expect(mapError(new DomainError('NOT_FOUND', 'Case not found'))).toEqual({ status: 404, message: 'Case not found', unexpected: false });
    expect(mapError(new DomainError('FORBIDDEN', 'No access'))).toEqual({ status: 403, message: 'No access', unexpected: false });
    expect(mapError(new DomainError('CONFLICT', 'Connection closed'))).toEqual({ status: 409, message: 'Connection closed', unexpected: false });
  });

  it("drops the query from Nest's unknown-route message (it may carry an accessToken)", () => {
    expect(mapError(new NotFoundException('Cannot GET /api/v3/case-messages/create?accessToken=secret'))).toMatchObject({
      status: 404,
      message: 'Cannot GET /api/v3/case-messages/create',
    });
  });

  it('names the failed checks of a health check, not their errors', () => {
    const failed = new ServiceUnavailableException({ status: 'error', info: {}, error: { database: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.5:5432' } }, details: {} });
    // An answer during an outage (logged as a warning), not a failure of ours (an error with a stack on every probe).
    expect(mapError(failed)).toMatchObject({ status: 503, message: 'Not ready: database', unexpected: false });
    expect(mapError(new HttpException('boom', 502))).toMatchObject({ status: 502, unexpected: true });
  });

  it('gives every 503 a Retry-After, and any refusal that names its own', () => {
    expect(mapError(new ServiceUnavailableException('retry later'))).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(mapError(new RetryLaterException('close one first', 429, 10))).toEqual({ status: 429, message: 'close one first', unexpected: false, retryAfterSeconds: 10 });
    expect(mapError(new NotFoundException('Case not found'))).not.toHaveProperty('retryAfterSeconds');
  });

  it('turns an unreachable database into a 503', () => {
    expect(mapError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503 });
    expect(mapError(new Error('timeout exceeded when trying to connect'))).toMatchObject({ status: 503 });
    expect(isDatabaseUnavailable({ driverError: { code: '57P01' } })).toBe(true);
    expect(mapError(Object.assign(new Error('database "messaging" is not currently accepting connections'), { code: '55000' }))).toMatchObject({ status: 503 });
    expect(mapError(Object.assign(new Error('some other prerequisite'), { code: '55000' }))).toMatchObject({ status: 500 });
  });

  it('turns a transaction whose connection broke (TypeORM released its query runner) into a 503', () => {
    expect(mapError(new QueryRunnerAlreadyReleasedError())).toMatchObject({ status: 503, unexpected: false });
    expect(mapError(new QueryRunnerProviderAlreadyReleasedError())).toMatchObject({ status: 503, unexpected: false });
  });

  it('words the Fastify errors Nest wraps in an HttpException', () => {
    const wrapped = (code: string, status: number) => new HttpException('raw', status, { cause: Object.assign(new Error('raw'), { code, statusCode: status }) });
    expect(mapError(wrapped('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415))).toEqual({ status: 415, message: 'Unsupported content type: send application/json', unexpected: false });
    expect(mapError(wrapped('FST_ERR_CTP_INVALID_JSON_BODY', 400))).toMatchObject({ status: 400, message: 'Request body is not valid JSON' });
    expect(mapError(wrapped('FST_ERR_CTP_BODY_TOO_LARGE', 413))).toMatchObject({ status: 413, message: 'Request body is too large (limit 1 MiB)' });
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
