import { INestApplicationContext } from '@nestjs/common';
import { AccountPrincipal, UserPrincipal } from './auth/principal';
import { CaseMessageType } from './case-messages/case-messages.enums';
import { CaseMessagesService } from './case-messages/case-messages.service';
import { AccountType, UserRole } from './directory/directory.enums';
import { CreateUserMessageDto } from './user-messages/dto/create-user-message.dto';
import { UserMessagesService } from './user-messages/user-messages.service';
import { ProvisioningService } from './admin/provisioning.service';

export interface DemoSet {
  caseGuid: string;
  partnerAccountId: number;
  providerAccountId: number;
  partnerToken: string;
  providerToken: string;
  userToken: string;
  serviceToken: string;
  userId: string;
  serviceUserId: string;
  groupId: string;
  caseMessages: number;
  userMessages: number;
}

/** A partner and a provider with a case between them, each as the principal its token authenticates. */
interface Parties {
  caseGuid: string;
  partner: AccountPrincipal;
  provider: AccountPrincipal;
  partnerToken: string;
  providerToken: string;
}

/** The demo user, and the service user who sends it notifications. */
interface People {
  user: UserPrincipal;
  service: UserPrincipal;
  groupId: string;
  userToken: string;
  serviceToken: string;
}

/**
 * On a database without accounts, creates a partner, a provider, a case between them with messages both
 * ways, a user with unread notifications, a service user and a group, so a newcomer's first calls show
 * data. Everything goes through the services the API uses, so the demo obeys the API's rules. Returns
 * undefined when accounts already exist (a second start on the same database).
 */
export async function seedDemoData(app: INestApplicationContext): Promise<DemoSet | undefined> {
  const provisioning = app.get(ProvisioningService);
  if (await provisioning.hasAccounts()) return undefined;
  const parties = await createParties(provisioning);
  const people = await createPeople(provisioning);
  const caseMessages = await writeCaseMessages(app.get(CaseMessagesService), parties);
  const userMessages = await writeUserMessages(app.get(UserMessagesService), people);
  return {
    caseGuid: parties.caseGuid,
    partnerAccountId: parties.partner.accountId,
    providerAccountId: parties.provider.accountId,
    partnerToken: parties.partnerToken,
    providerToken: parties.providerToken,
    userToken: people.userToken,
    serviceToken: people.serviceToken,
    userId: people.user.userId,
    serviceUserId: people.service.userId,
    groupId: people.groupId,
    caseMessages,
    userMessages,
  };
}

async function createParties(provisioning: ProvisioningService): Promise<Parties> {
  const partner = await provisioning.createAccount({ type: AccountType.Partner, name: 'Demo Partner' });
  const provider = await provisioning.createAccount({ type: AccountType.Provider, name: 'Demo Provider' });
  const demoCase = await provisioning.createCase({ partnerAccountId: partner.id, providerAccountId: provider.id });
  const partnerToken = await provisioning.issueAccountToken(partner.id, 'demo');
  const providerToken = await provisioning.issueAccountToken(provider.id, 'demo');
  return {
    caseGuid: demoCase.guid,
    partner: { kind: 'account', tokenId: partnerToken.id, accountId: partner.id, accountType: AccountType.Partner },
    provider: { kind: 'account', tokenId: providerToken.id, accountId: provider.id, accountType: AccountType.Provider },
    partnerToken: partnerToken.token,
    providerToken: providerToken.token,
  };
}

async function createPeople(provisioning: ProvisioningService): Promise<People> {
  const user = await provisioning.createUser({ email: 'demo.user@example.com', name: 'Demo User' });
  const service = await provisioning.createUser({ email: 'import.service@example.com', name: 'Import Service', role: UserRole.Service });
  const group = await provisioning.createGroup({ name: 'Demo Group', memberIds: [user.id, service.id] });
  const userToken = await provisioning.issueUserToken(user.id, 'demo');
  const serviceToken = await provisioning.issueUserToken(service.id, 'demo');
  return {
    user: { kind: 'user', tokenId: userToken.id, userId: user.id, email: user.email, role: user.role },
    service: { kind: 'user', tokenId: serviceToken.id, userId: service.id, email: service.email, role: service.role },
    groupId: group.id,
    userToken: userToken.token,
    serviceToken: serviceToken.token,
  };
}

/** A short exchange on the case: the partner asks, the provider answers, each side sends once more. Returns the count. */
async function writeCaseMessages(messages: CaseMessagesService, { caseGuid: guid, partner, provider }: Parties): Promise<number> {
  const request = await messages.create(partner, { guid, type: CaseMessageType.StatusRequest, content: 'When will the repair be finished?', externalId: 'demo-1', userName: 'Jane Doe' });
  await messages.create(provider, { guid, type: CaseMessageType.CostProposal, content: 'Cost proposal: 1,240 EUR for parts and labour.', externalId: 'demo-2', parentMessageId: request.id });
  await messages.create(partner, { guid, type: CaseMessageType.ServiceComment, content: 'Cost proposal accepted, please go ahead.', externalId: 'demo-3' });
  await messages.create(provider, { guid, type: CaseMessageType.Shipment, content: 'Repaired and shipped today.', externalId: 'demo-4' });
  return 4;
}

/** Unread notifications for the demo user from the service user: two to the user, one to its group. Returns the count. */
async function writeUserMessages(messages: UserMessagesService, { user, service, groupId }: People): Promise<number> {
  const notice = (receiverId: string, fields: Pick<CreateUserMessageDto, 'topic' | 'severity' | 'returnCode'>): CreateUserMessageDto => ({ receiver: { id: receiverId }, source: 'ImportService', ...fields });
  await messages.create(service, notice(user.userId, { topic: 'IFC_JOB', severity: 'Info', returnCode: 'OK' }));
  await messages.create(service, notice(user.userId, { topic: 'SKETCHUP_JOB', severity: 'Warning', returnCode: 'FILE_TOO_BIG' }));
  await messages.create(service, notice(groupId, { topic: 'MAINTENANCE', severity: 'Info', returnCode: 'SCHEDULED' }));
  return 3;
}

/**
 * The banner of a first start: each party with its id and token, then the same as one `export` line
 * under the variable names the README and docs/integrating.md use, so their commands run on the demo set.
 */
export function formatDemoSet(demo: DemoSet, baseUrl: string): string {
  const variables = {
    PARTNER: demo.partnerAccountId,
    PROVIDER: demo.providerAccountId,
    CASE_GUID: demo.caseGuid,
    PARTNER_TOKEN: demo.partnerToken,
    PROVIDER_TOKEN: demo.providerToken,
    USER_ID: demo.userId,
    USER_TOKEN: demo.userToken,
    SERVICE_ID: demo.serviceUserId,
    SERVICE_TOKEN: demo.serviceToken,
    GROUP_ID: demo.groupId,
  };
  return [
    '',
    '=== Demo data created (shown once; only hashes are stored) ===',
    `partner:       account ${demo.partnerAccountId}, token ${demo.partnerToken}`,
    `provider:      account ${demo.providerAccountId}, token ${demo.providerToken}`,
    `case guid:     ${demo.caseGuid}`,
    `user:          ${demo.userId}, token ${demo.userToken}`,
    `service user:  ${demo.serviceUserId}, token ${demo.serviceToken}`,
    `group:         ${demo.groupId}`,
    `messages:      ${demo.caseMessages} on the case (partner and provider, both ways), ${demo.userMessages} unread for the user`,
    'as shell variables, for the commands in README.md and docs/integrating.md:',
    `export ${Object.entries(variables).map(([name, value]) => `${name}=${value}`).join(' ')}`,
    `try: curl '${baseUrl}/api/v3/case-messages?guid=${demo.caseGuid}&accessToken=${demo.partnerToken}'`,
    `     curl '${baseUrl}/api/v3/case-messages/feed?unconfirmed=true&accessToken=${demo.providerToken}'`,
    `     curl -H 'Authorization: BimPlus ${demo.userToken}' ${baseUrl}/v2/user/me/messages`,
    `     ${baseUrl}/ in a browser: links to /docs, /inbox (paste the user token) and the health probes`,
    '',
  ].join('\n');
}
