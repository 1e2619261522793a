import { validateDto } from '../common/validate-dto';
import { AdminPageQueryDto } from './admin-paging';
import { DirectoryAdminService } from './directory-admin.service';
import { ListAccountsQueryDto, ListCasesQueryDto, ListUsersQueryDto, UpdateAccountDto, UpdateCaseDto, UpdateGroupDto, UpdateUserDto } from './dto/lifecycle.dto';
import { guid, toInt } from './provisioning.cli';
import { UserErasureService } from './user-erasure.service';

export const DIRECTORY_CLI_USAGE = `  accounts:list   [--type partner|provider] [--q TEXT] [--status active|deactivated] [--limit N] [--cursor C]
  accounts:show   ACCOUNT_ID
  accounts:update ACCOUNT_ID --name NAME
  accounts:deactivate ACCOUNT_ID     accounts:reactivate ACCOUNT_ID
  accounts:tokens ACCOUNT_ID [--limit N] [--cursor C]
  cases:list      [--account ACCOUNT_ID] [--limit N] [--cursor C]
  cases:show      GUID
  cases:forward   GUID --provider ACCOUNT_ID
  users:list      [--q TEXT] [--role user|service] [--status active|deactivated] [--limit N] [--cursor C]
  users:show      USER_ID
  users:update    USER_ID [--email EMAIL] [--name NAME] [--role user|service]
  users:deactivate USER_ID           users:reactivate USER_ID
  users:tokens    USER_ID [--limit N] [--cursor C]
  users:erase     USER_ID --confirm   (erases the person: cannot be undone)
  groups:list     [--limit N] [--cursor C]
  groups:show     GROUP_ID
  groups:update   GROUP_ID [--name NAME] [--description TEXT]
  groups:delete   GROUP_ID`;

type Options = Record<string, string | boolean | undefined>;
interface Services {
  directory: DirectoryAdminService;
  erasure: UserErasureService;
}
type DirectoryCommand = (id: string | undefined, options: Options, s: Services) => Promise<unknown>;

const account = (id: string | undefined) => toInt(id, 'ACCOUNT_ID');
const user = (id: string | undefined) => guid(id, 'USER_ID');
const group = (id: string | undefined) => guid(id, 'GROUP_ID');
const text = (value: string | boolean | undefined) => (typeof value === 'string' ? value : undefined);
const page = (o: Options) => validateDto(AdminPageQueryDto, { limit: text(o.limit), cursor: text(o.cursor) });

/** The CLI's lifecycle commands: the same services, DTOs and checks as the admin API. */
const COMMANDS = new Map<string, DirectoryCommand>([
  ['accounts:list', (_, o, s) => s.directory.listAccounts(validateDto(ListAccountsQueryDto, { type: text(o.type), q: text(o.q), status: text(o.status), limit: text(o.limit), cursor: text(o.cursor) }))],
  ['accounts:show', (id, _, s) => s.directory.getAccount(account(id))],
  ['accounts:update', (id, o, s) => s.directory.renameAccount(account(id), validateDto(UpdateAccountDto, { name: text(o.name) }).name)],
  ['accounts:deactivate', (id, _, s) => s.directory.setAccountActive(account(id), false)],
  ['accounts:reactivate', (id, _, s) => s.directory.setAccountActive(account(id), true)],
  ['accounts:tokens', (id, o, s) => s.directory.accountTokens(account(id), page(o))],
  ['cases:list', (_, o, s) => s.directory.listCases(validateDto(ListCasesQueryDto, { accountId: text(o.account), limit: text(o.limit), cursor: text(o.cursor) }))],
  ['cases:show', (id, _, s) => s.directory.getCase(guid(id, 'GUID'))],
  ['cases:forward', (id, o, s) => s.directory.forwardCase(guid(id, 'GUID'), validateDto(UpdateCaseDto, { providerAccountId: toNumber(text(o.provider)) }))],
  ['users:list', (_, o, s) => s.directory.listUsers(validateDto(ListUsersQueryDto, { q: text(o.q), role: text(o.role), status: text(o.status), limit: text(o.limit), cursor: text(o.cursor) }))],
  ['users:show', (id, _, s) => s.directory.getUser(user(id))],
  ['users:update', (id, o, s) => s.directory.updateUser(user(id), validateDto(UpdateUserDto, { email: text(o.email), name: text(o.name), role: text(o.role) }))],
  ['users:deactivate', (id, _, s) => s.directory.setUserActive(user(id), false)],
  ['users:reactivate', (id, _, s) => s.directory.setUserActive(user(id), true)],
  ['users:tokens', (id, o, s) => s.directory.userTokens(user(id), page(o))],
  ['users:erase', (id, o, s) => s.erasure.erase(user(id), o.confirm === true)],
  ['groups:list', (_, o, s) => s.directory.listGroups(page(o))],
  ['groups:show', (id, _, s) => s.directory.getGroup(group(id))],
  ['groups:update', (id, o, s) => s.directory.updateGroup(group(id), validateDto(UpdateGroupDto, { name: text(o.name), description: text(o.description) }))],
  ['groups:delete', (id, _, s) => s.directory.deleteGroup(group(id))],
]);

/** The lifecycle command named `command`; undefined when there is none. */
export function directoryCommand(command: string): DirectoryCommand | undefined {
  return COMMANDS.get(command);
}

/** Query-string style, so the DTO's integer check words the error as over HTTP. */
function toNumber(value: string | undefined): number | string | undefined {
  return value !== undefined && /^\d{1,10}$/.test(value) ? Number(value) : value;
}
