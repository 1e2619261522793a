import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger, LoggerOptions, LogFn } from 'pino';
import pretty from 'pino-pretty';

/** Paths pino blanks out wherever they appear in a log object. */
const REDACT_PATHS = ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'accessToken', '*.token', '*.accessToken', 'webhookSecret', '*.secret'];

export type LogFormat = 'pretty' | 'json';

/** The configured format, else readable lines for a person at a terminal and JSON for a log collector. */
export function resolveLogFormat(configured: LogFormat | undefined, stdoutIsTerminal = process.stdout.isTTY === true): LogFormat {
  return configured ?? (stdoutIsTerminal ? 'pretty' : 'json');
}

export function createRootLogger(options: { level: string; format: LogFormat }, destination?: DestinationStream): Logger {
  const common: LoggerOptions = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: { service: 'messaging-service' },
    hooks: { logMethod: demoteListeningLines },
  };
  if (options.format === 'pretty') return pino(common, pretty({ ...PRETTY_OPTIONS, destination: destination ?? 1 }));
  // Level names and ISO times: a reader of the raw line (or a collector without pino's number table) needs no lookup.
  return pino({ ...common, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, destination);
}

/**
 * Fastify's "Server listening at …" lines, one per address, at debug: the service writes its own single
 * "listening on" line at info.
 */
function demoteListeningLines(this: Logger, args: Parameters<LogFn>, method: LogFn, level: number): void {
  const message = typeof args[0] === 'string' ? args[0] : args[1];
  if (level === pino.levels.values.info && typeof message === 'string' && message.startsWith('Server listening at ')) {
    this.debug(...(args as [string]));
    return;
  }
  method.apply(this, args);
}

/**
 * One line per entry: local time, level, `[context] message`, then the other fields. Synchronous, as pino's own
 * stdout is: the lines before a `process.exit` (a failed start) are not lost in a buffer.
 */
const PRETTY_OPTIONS = {
  sync: true,
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,service,context',
  messageFormat: '{if context}[{context}] {end}{msg}',
};

/** A token as the service issues them (32 random bytes in hex), wherever it stands: any run of 64 or more hex digits. */
const TOKEN_LIKE = /[0-9a-f]{64,}/gi;

/**
 * Hides `accessToken` query values (any parameter whose name starts so) in a URL before it is logged. Names are compared decoded
 * (`access%54oken` is the same parameter to the server), so an encoded name cannot slip through. Any other run
 * of 64 hex digits is hidden too: a client that misspells the parameter (`access_token=`, `;accessToken=` in
 * the path) sends a real token the server never reads as one.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url.replace(TOKEN_LIKE, '[REDACTED]');
  const params = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      // Also `access_token`, `access-token` (the v3 routes read every notation) and `accessToken[]=…`,
      // `accessToken[0]=…`: not a token to the server, but still a secret.
      return safeDecode(name).toLowerCase().replace(/[-_]/g, '').startsWith('accesstoken') ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, query)}?${params.join('&')}`.replace(TOKEN_LIKE, '[REDACTED]');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Nest's start-up chatter: a line for every module it loads, every controller and every route it maps. Useful
 * when the wiring is in doubt (LOG_LEVEL=debug), noise that hides the lines that matter otherwise.
 */
const START_UP_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/** Routes Nest's own logging (bootstrap, exceptions) into the same log stream. */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]) {
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(level: pino.Level, message: unknown, params: unknown[]) {
    // Nest passes the context (the logger's name) as the last string parameter, and error(message, stack, context).
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    // An Error's message and stack are not enumerable: spread, they were lost (a failed start-up logged only `code`).
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context, ...(stack ? { stack } : {}) }, String(message));
  }
}
