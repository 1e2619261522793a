import 'reflect-metadata';
import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AdminModule } from './admin/admin.module';
import { DIRECTORY_CLI_USAGE, directoryCommand } from './admin/directory-admin.cli';
import { DirectoryAdminService } from './admin/directory-admin.service';
import { PROVISIONING_CLI_USAGE, provisioningCommand } from './admin/provisioning.cli';
import { ProvisioningService } from './admin/provisioning.service';
import { UserErasureService } from './admin/user-erasure.service';
import { AUDIT_CLI_USAGE, recordCliWrite, runAuditCommand } from './audit/audit.cli';
import { AuditModule } from './audit/audit.module';
import { AuditService } from './audit/audit.service';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { EnvironmentVariables, validateEnv } from './config/env.validation';
import { EmbeddedDatabase, startEmbeddedPostgres } from './database/embedded-postgres';
import { buildDataSourceOptions } from './database/data-source';
import { DatabaseModule, typeOrmRoot } from './database/database.module';
import { migrateOnce } from './database/migrate';
import { ENTITIES } from './entities';
import { DELIVERY_CLI_USAGE, runDeliveryCommand } from './delivery/delivery.cli';
import { DeliveriesRepository } from './delivery/deliveries.repository';
import { runWebhooksCommand, WEBHOOKS_CLI_OPTIONS, WEBHOOKS_CLI_USAGE } from './delivery/webhook/webhooks.cli';
import { WebhooksModule } from './delivery/webhook/webhooks.module';
import { WebhooksService } from './delivery/webhook/webhooks.service';

const USAGE = `Usage: npm run cli -- <command> [options]   (in the image: node dist/cli.js <command> …)

  migrate                     apply pending migrations (on DATABASE_DIRECT_URL when set) and exit;
                              a step of its own before a rolling deploy, instances then run with MIGRATIONS_RUN=false
${PROVISIONING_CLI_USAGE}
${DIRECTORY_CLI_USAGE}
${DELIVERY_CLI_USAGE}
${WEBHOOKS_CLI_USAGE}
${AUDIT_CLI_USAGE}

Uses DATABASE_URL, or the embedded database under DATA_DIR (joining the running server if there is one).
Prints JSON on stdout; errors go to stderr with exit code 1.`;

@Module({})
class CliModule {
  static forRoot(env: EnvironmentVariables, url: string): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(env), typeOrmRoot(env, url, ENTITIES, { retryAttempts: 0 }), DatabaseModule, AuthModule, AuditModule.forRoot('cli'), WebhooksModule, AdminModule],
      providers: [DeliveriesRepository],
    };
  }
}

type Options = Record<string, string | undefined>;

async function run(command: string, positional: string[], options: Options, app: INestApplicationContext): Promise<unknown> {
  if (command.startsWith('deliveries:')) return runDeliveryCommand(command, positional, options, app.get(DeliveriesRepository));
  if (command.startsWith('webhooks:')) return runWebhooksCommand(command, positional, options, app.get(WebhooksService));
  if (command.startsWith('audit:')) return runAuditCommand(command, options, app.get(AuditService));
  const lifecycle = directoryCommand(command);
  if (lifecycle) return lifecycle(positional[0], options, { directory: app.get(DirectoryAdminService), erasure: app.get(UserErasureService) });
  const provision = provisioningCommand(command);
  if (!provision) throw new Error(`Unknown command "${command}"\n\n${USAGE}`);
  return provision(positional, options, app.get(ProvisioningService));
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      ...Object.fromEntries(
        ['type', 'name', 'label', 'url', 'secret', 'partner', 'provider', 'guid', 'email', 'id', 'role', 'members', 'description', 'providers', 'status', 'kind', 'limit', 'q', 'account', 'cursor', 'target', 'action', ...WEBHOOKS_CLI_OPTIONS].map((o) => [o, { type: 'string' as const }]),
      ),
      help: { type: 'boolean', short: 'h' },
      confirm: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (!command || command === 'help' || values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = validateEnv({ ...process.env, LOG_LEVEL: 'silent' });
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres(env.DATA_DIR);
  process.stderr.write(`database: ${describeDatabase(env, embedded, command === 'migrate')}\n`);
  const url = env.DATABASE_URL ?? embedded!.url;
  try {
    const result = command === 'migrate' ? await migrate(env, url) : await runInApp(command, rest, values as Options, env, url);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await embedded?.stop();
  }
}

async function runInApp(command: string, positional: string[], options: Options, env: EnvironmentVariables, url: string): Promise<unknown> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env, url), { logger: false, abortOnError: false });
  try {
    const result = await run(command, positional, options, app);
    await recordCliWrite(app.get(AuditService), command, positional, options, result);
    return result;
  } finally {
    await app.close();
  }
}

/** `migrate`: what the release step runs from the production image before the instances roll. */
async function migrate(env: EnvironmentVariables, url: string): Promise<{ applied: string[] }> {
  const applied = await migrateOnce(buildDataSourceOptions(env, env.DATABASE_DIRECT_URL ?? url));
  return { applied: applied.map((migration) => migration.name) };
}

/**
 * Which database the command works on, for stderr: without DATABASE_URL next to a service that uses one, the
 * CLI would otherwise create accounts in a fresh embedded database and report success.
 */
function describeDatabase(env: EnvironmentVariables, embedded: EmbeddedDatabase | undefined, migrating: boolean): string {
  if (env.DATABASE_URL) {
    // Migrations take the direct connection when there is one (see migrate()), so that is the one to name.
    const [name, value] = migrating && env.DATABASE_DIRECT_URL ? ['DATABASE_DIRECT_URL', env.DATABASE_DIRECT_URL] : ['DATABASE_URL', env.DATABASE_URL];
    const url = new URL(value);
    return `PostgreSQL at ${url.host}${url.pathname} (${name})`;
  }
  return `embedded under ${resolve(env.DATA_DIR)} (${embedded?.joined ? 'joined the running service' : 'no service runs on it; opened it here'})`;
}

main().catch((error: Error) => {
  process.stderr.write(`${JSON.stringify({ error: { message: error.message } })}\n`);
  process.exit(1);
});
