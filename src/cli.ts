import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { parseArgs } from 'node:util';
import { AdminModule } from './admin/admin.module';
import { ProvisioningService } from './admin/provisioning.service';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import { EnvironmentVariables, validateEnv } from './config/env.validation';
import { buildDataSourceOptions } from './database/data-source';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateAccountDto, CreateCaseDto, CreateGroupDto, CreateUserDto, GroupMembersDto, SetWebhookDto } from './admin/dto/admin.dto';
import { parseIntId } from './common/param.pipes';
import { isUuid } from './common/uuid';
import { formatValidationErrors } from './common/validation-message';
import { DELIVERY_CLI_USAGE, runDeliveryCommand } from './delivery/delivery.cli';
import { DeliveryQueue } from './delivery/delivery-queue.service';

const USAGE = `Usage: npm run cli -- <command> [options]   (in the image: node dist/cli.js <command> …)

  accounts:create --type partner|provider --name NAME
  accounts:token  ACCOUNT_ID [--label TEXT]
  accounts:webhook ACCOUNT_ID --url URL --secret SECRET
  cases:create    --partner ACCOUNT_ID --provider ACCOUNT_ID [--guid GUID]
  users:create    --email EMAIL [--id GUID] [--name NAME] [--role user|service]
  users:token     USER_ID [--label TEXT]
  groups:create   --name NAME [--id GUID] [--members ID,ID,…]
  groups:members  GROUP_ID --members ID,ID,…
  tokens:revoke   TOKEN_ID
${DELIVERY_CLI_USAGE}

Uses DATABASE_URL, or the embedded database under DATA_DIR (joining the running server if there is one).
Prints JSON on stdout; errors go to stderr with exit code 1.`;

@Module({})
class CliModule {
  static forRoot(env: EnvironmentVariables, url: string): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(env), TypeOrmModule.forRoot({ ...buildDataSourceOptions(env, url), migrationsRun: env.MIGRATIONS_RUN, retryAttempts: 0 }), AuthModule, AdminModule],
      providers: [DeliveryQueue],
    };
  }
}

type Options = Record<string, string | undefined>;

async function run(command: string, positional: string[], options: Options, provisioning: ProvisioningService): Promise<unknown> {
  const members = () => (options.members ?? '').split(',').map((m) => m.trim()).filter(Boolean);
  switch (command) {
    case 'accounts:create':
      return provisioning.createAccount(dto(CreateAccountDto, { type: options.type, name: options.name }));
    case 'accounts:token':
      return provisioning.issueAccountToken(toInt(positional[0], 'ACCOUNT_ID'), options.label);
    case 'accounts:webhook':
      return provisioning.setWebhook(toInt(positional[0], 'ACCOUNT_ID'), dto(SetWebhookDto, { url: options.url, secret: options.secret }));
    case 'cases:create':
      return provisioning.createCase(dto(CreateCaseDto, { guid: options.guid, partnerAccountId: toInt(options.partner, '--partner'), providerAccountId: toInt(options.provider, '--provider') }));
    case 'users:create':
      return provisioning.createUser(dto(CreateUserDto, { id: options.id, email: options.email, name: options.name, role: options.role }));
    case 'users:token':
      return provisioning.issueUserToken(guid(positional[0], 'USER_ID'), options.label);
    case 'groups:create':
      return provisioning.createGroup(dto(CreateGroupDto, { id: options.id, name: options.name, memberIds: members() }));
    case 'groups:members':
      return provisioning.setGroupMembers(guid(positional[0], 'GROUP_ID'), dto(GroupMembersDto, { memberIds: members() }).memberIds);
    case 'tokens:revoke':
      return provisioning.revokeToken(guid(positional[0], 'TOKEN_ID'));
    default:
      throw new Error(`Unknown command "${command}"\n\n${USAGE}`);
  }
}

/** Validates CLI input with the REST API's DTO, so both reject bad input with the same message. */
function dto<T extends object>(type: new () => T, input: Record<string, unknown>): T {
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  const instance = plainToInstance(type, defined);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(formatValidationErrors(errors));
  return instance;
}

function guid(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  if (!isUuid(value)) throw new Error(`${name} must be a valid GUID (got "${value}")`);
  return value.toLowerCase();
}

/** Validated as the REST API's IntIdPipe does: a positive 32-bit integer. */
function toInt(value: string | undefined, name: string): number {
  const id = parseIntId(value);
  if (id === undefined) throw new Error(`${name} must be a positive integer (got "${value ?? ''}")`);
  return id;
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(
      ['type', 'name', 'label', 'url', 'secret', 'partner', 'provider', 'guid', 'email', 'id', 'role', 'members', 'status', 'kind', 'limit'].map((o) => [o, { type: 'string' as const }]),
    ),
  });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = validateEnv({ ...process.env, LOG_LEVEL: 'silent' });
  const embedded = env.DATABASE_URL ? undefined : await startEmbeddedPostgres(env.DATA_DIR);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(env, env.DATABASE_URL ?? embedded!.url), { logger: false, abortOnError: false });
  try {
    const result = command.startsWith('deliveries:')
      ? await runDeliveryCommand(command, rest, values as Options, app.get(DeliveryQueue))
      : await run(command, rest, values as Options, app.get(ProvisioningService));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

main().catch((error: Error & { response?: { message?: unknown } }) => {
  const message = error.response?.message ?? error.message;
  process.stderr.write(`${JSON.stringify({ error: { message } })}\n`);
  process.exit(1);
});
