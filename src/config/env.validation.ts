import { plainToInstance, Transform } from 'class-transformer';
import { getMetadataStorage, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateBy, ValidateIf, validateSync } from 'class-validator';
import { isIP } from 'node:net';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value);

/**
 * Every environment variable the service reads, with its default.
 * `.env.example` mirrors this class; keep the two in step.
 */
export class EnvironmentVariables {
  @IsOptional() @IsInt() @Min(0) @Max(65535) @Transform(toInt)
  PORT = 3000;

  @IsOptional() @IsString()
  HOST = '0.0.0.0';

  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /**
   * A connection straight to PostgreSQL for what needs a session of its own: LISTEN (PUSH_BUS=postgres) and
   * migrating under an advisory lock. Set it when DATABASE_URL goes through a pooler in transaction mode.
   */
  @IsOptional() @IsString() @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_DIRECT_URL must be a postgres:// URL' })
  DATABASE_DIRECT_URL?: string;

  @IsOptional() @IsString()
  DATA_DIR = './data';

  @IsOptional() @IsBoolean() @Transform(toBool)
  MIGRATIONS_RUN = true;

  @IsOptional() @IsBoolean() @Transform(toBool)
  DEMO_SEED?: boolean;

  @IsOptional() @IsInt() @Min(1) @Max(200) @Transform(toInt)
  DB_POOL_SIZE = 10;

  @IsOptional() @IsInt() @Min(100) @Max(60000) @Transform(toInt)
  DB_CONNECT_TIMEOUT_MS = 3000;

  @IsOptional() @IsInt() @Min(100) @Max(600000) @Transform(toInt)
  DB_STATEMENT_TIMEOUT_MS = 10000;

  /** Hot statements as named prepared statements (external PostgreSQL only); false behind a transaction-mode pooler. */
  @IsOptional() @IsBoolean() @Transform(toBool)
  DB_PREPARED_STATEMENTS = true;

  @IsOptional() @IsString() @MinLength(16, { message: 'ADMIN_TOKEN must be at least 16 characters' })
  ADMIN_TOKEN?: string;

  @IsOptional() @IsString() @MinLength(16, { message: 'METRICS_TOKEN must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @IsOptional() @IsInt() @Min(0) @Transform(toInt)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Where the per-token rate limit counts, shared by every instance; unset: in this process's memory. */
  @IsOptional() @IsString() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional() @IsInt() @Min(0) @Max(600000) @Transform(toInt)
  AUTH_CACHE_TTL_MS = 5000;

  @IsOptional() @IsString() @ValidateBy(
    { name: 'isOriginList', validator: { validate: (value) => typeof value === 'string' && value.split(',').map((o) => o.trim()).filter(Boolean).every(isOrigin) } },
    { message: 'CORS_ORIGINS must be comma-separated origins such as https://portal.example.com (scheme, host and port only)' },
  )
  CORS_ORIGINS = '';

  /** Which proxies' X-Forwarded-For to believe: false, true, a hop count, or addresses/CIDRs. */
  @IsOptional() @IsString() @ValidateBy(
    { name: 'isTrustProxy', validator: { validate: (value) => typeof value === 'string' && isTrustProxy(value) } },
    { message: 'TRUST_PROXY must be true, false, a hop count, or comma-separated addresses, CIDR ranges (10.0.0.0/8) or loopback/linklocal/uniquelocal' },
  )
  TRUST_PROXY = 'false';

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `pretty` (one readable line per entry) or `json`; unset: pretty when stdout is a terminal, JSON otherwise. */
  @IsOptional() @IsIn(['pretty', 'json'])
  LOG_FORMAT?: 'pretty' | 'json';

  @IsOptional() @IsInt() @Min(0) @Max(600000) @Transform(toInt)
  SHUTDOWN_TIMEOUT_MS = 10000;

  /**
   * On SIGTERM, how long /health/ready answers 503 while the instance goes on serving, before it closes: long
   * enough for the load balancer's health checks to take it out of rotation.
   */
  @IsOptional() @IsInt() @Min(0) @Max(600000) @Transform(toInt)
  SHUTDOWN_DRAIN_MS = 0;

  @IsOptional() @IsString() @Matches(/^smtps?:\/\//, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional() @IsString() @Matches(/^([^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
    message: 'MAIL_FROM must be an address, optionally with a name: Name <no-reply@example.com>',
  })
  MAIL_FROM = 'Messaging Service <no-reply@localhost>';

  @IsOptional() @IsBoolean() @Transform(toBool)
  SMTP_TLS_REJECT_UNAUTHORIZED = true;

  @IsOptional() @IsBoolean() @Transform(toBool)
  WORKERS_ENABLED = true;

  @IsOptional() @IsInt() @Min(1) @Max(100) @Transform(toInt)
  WORKER_CONCURRENCY = 50;

  @IsOptional() @IsInt() @Min(1) @Max(50) @Transform(toInt)
  DELIVERY_MAX_ATTEMPTS = 8;

  @IsOptional() @IsInt() @Min(1) @Max(3600) @Transform(toInt)
  DELIVERY_BACKOFF_BASE_SECONDS = 5;

  /** A delivery is given up only after DELIVERY_MAX_ATTEMPTS *and* this many hours since it was queued (0: attempts alone). */
  @IsOptional() @IsInt() @Min(0) @Max(720) @Transform(toInt)
  DELIVERY_RETRY_HOURS = 24;

  @IsOptional() @IsInt() @Min(100) @Max(60000) @Transform(toInt)
  WEBHOOK_TIMEOUT_MS = 5000;

  /** v2 messages older than this many days are removed, in small batches, once an hour (0: kept for ever). */
  @IsOptional() @IsInt() @Min(0) @Max(36500) @Transform(toInt)
  MESSAGE_RETENTION_DAYS = 0;

  @IsOptional() @IsBoolean() @Transform(toBool)
  WEBHOOK_ALLOW_PRIVATE = false;

  /** How the instances wake each other's SSE relays: PostgreSQL LISTEN/NOTIFY, or NATS (NATS_URL). */
  @IsOptional() @IsIn(['postgres', 'nats'], { message: 'PUSH_BUS must be postgres or nats' })
  PUSH_BUS: 'postgres' | 'nats' = 'postgres';

  @ValidateIf((env: EnvironmentVariables) => env.PUSH_BUS === 'nats' || env.NATS_URL !== undefined)
  @IsString({ message: 'NATS_URL is required with PUSH_BUS=nats' }) @Matches(/^(nats|tls):\/\/[^/\s,]+(,(nats|tls):\/\/[^/\s,]+)*$/, { message: 'NATS_URL must be nats://host:port (or tls://), comma-separated for a cluster' })
  NATS_URL?: string;

  @IsOptional() @IsInt() @Min(1000) @Max(300000) @Transform(toInt)
  SSE_HEARTBEAT_MS = 15000;

  /** Open SSE streams per user on one instance (tabs); one more is a 429 with Retry-After. */
  @IsOptional() @IsInt() @Min(1) @Max(1000) @Transform(toInt)
  SSE_MAX_STREAMS_PER_USER = 20;

  /**
   * Open SSE streams on one instance, all users together; one more is a 503 with Retry-After. Each stream is a
   * socket (a file descriptor) and ~12 KiB: keep it well below the process's open-file limit (`ulimit -n`).
   */
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) @Transform(toInt)
  SSE_MAX_STREAMS = 10_000;
}

/** The name of every variable EnvironmentVariables declares, those without a default included. */
export function environmentVariableNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** Validates `raw` (normally process.env) and throws one error listing every bad variable. */
export function validateEnv(raw: Record<string, string | undefined>): EnvironmentVariables {
  const input: Record<string, string> = {};
  for (const key of environmentVariableNames()) {
    const value = raw[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    // A value of the wrong type (or a missing one) fails its other checks too: name only that (PORT=abc "must be an integer").
    const reason = (c: Record<string, string> = {}) => c.isInt ?? c.isBoolean ?? c.isString ?? Object.values(c).join('; ');
    const lines = errors.map((e) => `  ${e.property}: ${reason(e.constraints)}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.DEMO_SEED === undefined) env.DEMO_SEED = !env.DATABASE_URL;
  return env;
}

/** TRUST_PROXY as Fastify's `trustProxy` option takes it. */
export function trustProxySetting(value: string): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value.split(',').map((entry) => entry.trim());
}

/** An Origin header value: `https://host[:port]`, or another scheme's as written (`capacitor://localhost`, `chrome-extension://id`). */
function isOrigin(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/i.test(text)) return false;
  if (!/^https?:/i.test(text)) return true;
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** What Fastify's proxy-addr accepts: true/false, a hop count, or addresses, CIDR ranges and its three names. */
export function isTrustProxy(value: string): boolean {
  if (/^(true|false|\d+)$/.test(value)) return true;
  return value.split(',').every((item) => {
    const entry = item.trim();
    if (PROXY_NAMES.has(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    // A length 1–32/128 (proxy-addr refuses /0), or for IPv4 a contiguous dotted netmask (10.0.0.0/255.0.0.0).
    if (family === 4 && isIP(prefix) === 4) return isContiguousNetmask(prefix);
    return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
  });
}

function isContiguousNetmask(mask: string): boolean {
  const bits = mask.split('.').map((octet) => Number(octet).toString(2).padStart(8, '0')).join('');
  return /^1+0*$/.test(bits);
}
