import { Writable } from 'node:stream';
import { createRootLogger, LogFormat, PinoLoggerService, redactUrl, resolveLogFormat } from './logger';

/** A logger of the given format writing into `lines`. */
function capture(format: LogFormat, level = 'info') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createRootLogger({ level, format }, sink), lines };
}

describe('createRootLogger', () => {
  it('writes JSON lines with a level name and an ISO time', () => {
    const { logger, lines } = capture('json');
    logger.info({ port: 3000 }, 'listening');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{"level":"info","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z",/);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', service: 'messaging-service', port: 3000, msg: 'listening' });
  });

  it('writes one readable line per entry in the pretty format, with the context first', () => {
    const { logger, lines } = capture('pretty');
    logger.warn({ context: 'DeliveryWorker', kind: 'email' }, 'retrying');
    // eslint-disable-next-line no-control-regex
    const text = lines.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[DeliveryWorker\] retrying/);
    expect(text).toContain('kind: "email"');
    expect(text).not.toContain('messaging-service');
  });

  it("writes Fastify's per-address listening lines at debug, other info lines at info", () => {
    const { logger, lines } = capture('json', 'debug');
    logger.info('Server listening at http://127.0.0.1:3000');
    logger.info({ port: 3000 }, 'listening on http://localhost:3000');
    expect(lines.map((l) => JSON.parse(l)).map(({ level, msg }) => [level, msg])).toEqual([
      ['debug', 'Server listening at http://127.0.0.1:3000'],
      ['info', 'listening on http://localhost:3000'],
    ]);
    const quiet = capture('json');
    quiet.logger.info('Server listening at http://127.0.0.1:3000');
    expect(quiet.lines).toEqual([]);
  });

  it('redacts secrets in both formats', () => {
    for (const format of ['json', 'pretty'] as const) {
      const { logger, lines } = capture(format);
      logger.info({ token: 'secret-value', headers: { authorization: 'Bearer x' } }, 'issued');
      expect(lines.join('\n')).not.toMatch(/secret-value|Bearer x/);
    }
  });
});

describe('resolveLogFormat', () => {
  it('follows LOG_FORMAT, else the terminal', () => {
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
    expect(resolveLogFormat(undefined, true)).toBe('pretty');
    expect(resolveLogFormat(undefined, false)).toBe('json');
  });
});

describe('PinoLoggerService', () => {
  it("logs Nest's start-up lines at debug and everything else at its own level", () => {
    const { logger, lines } = capture('json', 'debug');
    const nest = new PinoLoggerService(logger);
    nest.log('Mapped {/v2/messages, POST} route', 'RouterExplorer');
    nest.log('AdminModule dependencies initialized', 'InstanceLoader');
    nest.log('worker started', 'DeliveryWorker');
    nest.warn('slow', 'RouterExplorer');
    expect(lines.map((l) => JSON.parse(l)).map(({ level, context }) => [level, context])).toEqual([
      ['debug', 'RouterExplorer'],
      ['debug', 'InstanceLoader'],
      ['info', 'DeliveryWorker'],
      ['warn', 'RouterExplorer'],
    ]);
  });
});

describe('redactUrl', () => {
  it('hides accessToken values wherever they stand in the query', () => {
    expect(redactUrl('/api/v3/case-messages?accessToken=secret&guid=x')).toBe('/api/v3/case-messages?accessToken=[REDACTED]&guid=x');
    expect(redactUrl('/x?guid=1&ACCESSTOKEN=secret')).toBe('/x?guid=1&ACCESSTOKEN=[REDACTED]');
    expect(redactUrl('/x?access_token=secret&access-token=other')).toBe('/x?access_token=[REDACTED]&access-token=[REDACTED]');
  });

  it('hides values behind an encoded parameter name too', () => {
    expect(redactUrl('/x?access%54oken=secret&a=1')).toBe('/x?access%54oken=[REDACTED]&a=1');
    expect(redactUrl('/x?accessToken')).toBe('/x?accessToken=[REDACTED]');
  });

  it('hides array-style and suffixed names (accessToken[]=…)', () => {
    expect(redactUrl('/x?guid=1&accessToken[]=secret')).toBe('/x?guid=1&accessToken[]=[REDACTED]');
    expect(redactUrl('/x?accessToken%5B0%5D=secret')).toBe('/x?accessToken%5B0%5D=[REDACTED]');
  });

  it('hides a token (64 hex digits) under any other name or in the path', () => {
    const token = 'ab'.repeat(32);
    expect(redactUrl(`/x?access_token=${token}&a=1`)).toBe('/x?access_token=[REDACTED]&a=1');
    expect(redactUrl(`/api/v3/case-messages;accessToken=${token}`)).toBe('/api/v3/case-messages;accessToken=[REDACTED]');
    // The run takes the %3D's hex digits with it.
    expect(redactUrl(`/x?x=accessToken%3D${token.toUpperCase()}`)).toBe('/x?x=accessToken%[REDACTED]');
    expect(redactUrl(`/v2/messages/1e0abcb7-b94c-4072-a9c0-37072a1ef015?limit=10`)).toBe('/v2/messages/1e0abcb7-b94c-4072-a9c0-37072a1ef015?limit=10');
  });

  it('leaves other URLs alone', () => {
    expect(redactUrl('/health/ready')).toBe('/health/ready');
  });
});
