import { trustProxySetting, validateEnv } from './env.validation';

describe('validateEnv', () => {
  it('applies defaults', () => {
    const env = validateEnv({});
    expect(env).toMatchObject({ PORT: 3000, DATA_DIR: './data', MIGRATIONS_RUN: true, DB_POOL_SIZE: 10, RATE_LIMIT_PER_MINUTE: 600, WORKERS_ENABLED: true });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('turns the demo seed on only for the embedded database by default', () => {
    expect(validateEnv({}).DEMO_SEED).toBe(true);
    expect(validateEnv({ DATABASE_URL: 'postgres://localhost/x' }).DEMO_SEED).toBe(false);
    expect(validateEnv({ DATABASE_URL: 'postgres://localhost/x', DEMO_SEED: 'true' }).DEMO_SEED).toBe(true);
  });

  it('takes the scale-out settings: a Redis rate-limit store, a NATS push bus, a direct database URL', () => {
    const env = validateEnv({ REDIS_URL: 'redis://127.0.0.1:6379', PUSH_BUS: 'nats', NATS_URL: 'nats://a:4222,nats://b:4222', DATABASE_DIRECT_URL: 'postgres://db/x', SHUTDOWN_DRAIN_MS: '5000' });
    expect(env).toMatchObject({ REDIS_URL: 'redis://127.0.0.1:6379', PUSH_BUS: 'nats', NATS_URL: 'nats://a:4222,nats://b:4222', DATABASE_DIRECT_URL: 'postgres://db/x', SHUTDOWN_DRAIN_MS: 5000 });
    expect(validateEnv({}).PUSH_BUS).toBe('postgres');
    expect(() => validateEnv({ PUSH_BUS: 'nats' })).toThrow('NATS_URL: NATS_URL is required with PUSH_BUS=nats');
    expect(() => validateEnv({ PUSH_BUS: 'kafka' })).toThrow('PUSH_BUS: PUSH_BUS must be postgres or nats');
    expect(() => validateEnv({ REDIS_URL: 'localhost:6379' })).toThrow('REDIS_URL: REDIS_URL must be a redis:// or rediss:// URL');
    expect(() => validateEnv({ DATABASE_DIRECT_URL: 'mysql://x' })).toThrow('DATABASE_DIRECT_URL:');
  });

  it('parses numbers and booleans', () => {
    const env = validateEnv({ PORT: '8080', MIGRATIONS_RUN: 'false', WEBHOOK_ALLOW_PRIVATE: '1' });
    expect(env.PORT).toBe(8080);
    expect(env.MIGRATIONS_RUN).toBe(false);
    expect(env.WEBHOOK_ALLOW_PRIVATE).toBe(true);
  });

  it('lists every bad variable at once', () => {
    let message = '';
    try {
      validateEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short', MIGRATIONS_RUN: 'maybe' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('Invalid configuration');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'ADMIN_TOKEN', 'MIGRATIONS_RUN']) expect(message).toContain(`${name}:`);
    // A wrong type is said once, not as three range violations.
    expect(message).toContain('  PORT: PORT must be an integer number\n');
  });

  it('takes LOG_FORMAT pretty or json, and leaves it unset to be decided by the terminal', () => {
    expect(validateEnv({}).LOG_FORMAT).toBeUndefined();
    expect(validateEnv({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(validateEnv({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(() => validateEnv({ LOG_FORMAT: 'text' })).toThrow('LOG_FORMAT: LOG_FORMAT must be one of the following values: pretty, json');
  });

  it.each([
    ['CORS_ORIGINS', 'portal.example.com'],
    ['CORS_ORIGINS', 'https://portal.example.com/app'],
    ['MAIL_FROM', 'Messaging Service'],
    ['MAIL_FROM', 'a@b, c@d'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('accepts origin lists and sender addresses', () => {
    expect(validateEnv({ CORS_ORIGINS: 'https://portal.example.com, http://localhost:8080' }).CORS_ORIGINS).toBe('https://portal.example.com, http://localhost:8080');
    // Origins of apps that are not web pages (Capacitor, browser extensions) are sent as written.
    expect(validateEnv({ CORS_ORIGINS: 'capacitor://localhost,chrome-extension://abcdefghijklmnop' }).CORS_ORIGINS).toBe('capacitor://localhost,chrome-extension://abcdefghijklmnop');
    expect(validateEnv({ MAIL_FROM: 'no-reply@example.com' }).MAIL_FROM).toBe('no-reply@example.com');
  });
});

describe('trustProxySetting', () => {
  it.each([
    ['false', false],
    ['true', true],
    ['10.0.0.0/8,127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
  ])('reads %s', (raw, expected) => expect(trustProxySetting(raw)).toEqual(expected));

  it('trusts a number of hops', () => {
    const trust = trustProxySetting('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('10.0.0.1', hop))).toEqual([true, true, false]);
  });

  it.each(['yes please', '10.0.0.0/99', '300.1.1.1', '10.0.0.1/8/2', '::1/129', 'localhost', '10.0.0.0/0', '::/0', '10.0.0.0/255.0.255.0'])('refuses TRUST_PROXY=%s at start-up', (raw) => {
    expect(() => validateEnv({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY:/);
  });

  it.each(['10.0.0.0/8, 127.0.0.1', 'loopback,uniquelocal', 'fd00::/8', '3', '10.0.0.0/255.0.0.0'])('accepts TRUST_PROXY=%s', (raw) => {
    expect(validateEnv({ TRUST_PROXY: raw }).TRUST_PROXY).toBe(raw);
  });
});
