import { parseIntId } from '../common/int-id';
import { isUuid } from '../common/uuid';
import { validateDto } from '../common/validate-dto';
import { CreateAccountDto, CreateCaseDto, CreateGroupDto, CreateUserDto, GroupMembersDto, SetRepresentationsDto, SetWebhookDto } from './dto/admin.dto';
import { ProvisioningService } from './provisioning.service';

export const PROVISIONING_CLI_USAGE = `  accounts:create --type partner|provider --name NAME
  accounts:token  ACCOUNT_ID [--label TEXT]
  accounts:webhook ACCOUNT_ID --url URL --secret SECRET
  accounts:represents ACCOUNT_ID [--providers ID,ID,…]   (no --providers: show them; --providers '': none)
  cases:create    --partner ACCOUNT_ID --provider ACCOUNT_ID [--guid GUID]
  users:create    --email EMAIL [--id GUID] [--name NAME] [--role user|service]
  users:token     USER_ID [--label TEXT]
  groups:create   --name NAME [--id GUID] [--description TEXT] [--members ID,ID,…]
  groups:members  GROUP_ID --members ID,ID,…
  tokens:revoke   TOKEN_ID`;

type Options = Record<string, string | undefined>;
type ProvisioningCommand = (positional: string[], options: Options, provisioning: ProvisioningService) => Promise<unknown>;

const members = (options: Options) => (options.members ?? '').split(',').map((m) => m.trim()).filter(Boolean);

/** The CLI's provisioning commands: the same operations, DTOs and id checks as the admin API. */
const COMMANDS = new Map<string, ProvisioningCommand>([
  ['accounts:create', (_, options, p) => p.createAccount(validateDto(CreateAccountDto, { type: options.type, name: options.name }))],
  ['accounts:token', ([id], options, p) => p.issueAccountToken(toInt(id, 'ACCOUNT_ID'), options.label)],
  ['accounts:represents', ([id], options, p) => representations(toInt(id, 'ACCOUNT_ID'), options.providers, p)],
  ['accounts:webhook', ([id], options, p) => p.setWebhook(toInt(id, 'ACCOUNT_ID'), validateDto(SetWebhookDto, { url: options.url, secret: options.secret }))],
  [
    'cases:create',
    (_, options, p) =>
      p.createCase(validateDto(CreateCaseDto, { guid: options.guid, partnerAccountId: toInt(options.partner, '--partner'), providerAccountId: toInt(options.provider, '--provider') })),
  ],
  ['users:create', (_, options, p) => p.createUser(validateDto(CreateUserDto, { id: options.id, email: options.email, name: options.name, role: options.role }))],
  ['users:token', ([id], options, p) => p.issueUserToken(guid(id, 'USER_ID'), options.label)],
  ['groups:create', (_, options, p) => p.createGroup(validateDto(CreateGroupDto, { id: options.id, name: options.name, description: options.description, memberIds: members(options) }))],
  ['groups:members', ([id], options, p) => p.setGroupMembers(guid(id, 'GROUP_ID'), validateDto(GroupMembersDto, { memberIds: members(options) }).memberIds)],
  ['tokens:revoke', ([id], _, p) => p.revokeToken(guid(id, 'TOKEN_ID'))],
]);

function representations(accountId: number, providers: string | undefined, p: ProvisioningService): Promise<unknown> {
  if (providers === undefined) return p.representations(accountId);
  const providerAccountIds = providers.split(',').map((m) => m.trim()).filter(Boolean).map((m) => toInt(m, '--providers'));
  return p.setRepresentations(accountId, validateDto(SetRepresentationsDto, { providerAccountIds }));
}

/** The provisioning command named `command`; undefined when there is none. */
export function provisioningCommand(command: string): ProvisioningCommand | undefined {
  return COMMANDS.get(command);
}

export function guid(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required`);
  if (!isUuid(value)) throw new Error(`${name} must be a valid GUID (got "${value}")`);
  return value.toLowerCase();
}

/** Validated as the REST API's IntIdPipe does: a positive 32-bit integer. */
export function toInt(value: string | undefined, name: string): number {
  const id = parseIntId(value);
  if (id === undefined) throw new Error(`${name} must be a positive integer (got "${value ?? ''}")`);
  return id;
}
