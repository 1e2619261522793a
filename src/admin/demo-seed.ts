import { DataSource } from 'typeorm';
import { AccountType, UserRole } from '../directory/directory.enums';
import { ProvisioningService } from './provisioning.service';

export interface DemoSet {
  caseGuid: string;
  partnerToken: string;
  providerToken: string;
  userToken: string;
  serviceToken: string;
  userId: string;
  serviceUserId: string;
  groupId: string;
}

/**
 * On an empty database, creates a partner, a provider, a case between them, a user, a service user
 * and a group, so a newcomer can call the API at once. Returns undefined when data already exists.
 */
export async function seedDemoData(dataSource: DataSource, provisioning: ProvisioningService): Promise<DemoSet | undefined> {
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM accounts`);
  if (count > 0) return undefined;
  const partner = await provisioning.createAccount({ type: AccountType.Partner, name: 'Demo Partner' });
  const provider = await provisioning.createAccount({ type: AccountType.Provider, name: 'Demo Provider' });
  const demoCase = await provisioning.createCase({ partnerAccountId: partner.id, providerAccountId: provider.id });
  const user = await provisioning.createUser({ email: 'demo.user@example.com', name: 'Demo User' });
  const service = await provisioning.createUser({ email: 'import.service@example.com', name: 'Import Service', role: UserRole.Service });
  const group = await provisioning.createGroup({ name: 'Demo Group', memberIds: [user.id, service.id] });
  return {
    caseGuid: demoCase.guid,
    partnerToken: (await provisioning.issueAccountToken(partner.id, 'demo')).token,
    providerToken: (await provisioning.issueAccountToken(provider.id, 'demo')).token,
    userToken: (await provisioning.issueUserToken(user.id, 'demo')).token,
    serviceToken: (await provisioning.issueUserToken(service.id, 'demo')).token,
    userId: user.id,
    serviceUserId: service.id,
    groupId: group.id,
  };
}

export function formatDemoSet(demo: DemoSet, baseUrl: string): string {
  return [
    '',
    '=== Demo data created (shown once; only hashes are stored) ===',
    `case guid:        ${demo.caseGuid}`,
    `partner token:    ${demo.partnerToken}`,
    `provider token:   ${demo.providerToken}`,
    `user ${demo.userId} token:    ${demo.userToken}`,
    `service user ${demo.serviceUserId} token: ${demo.serviceToken}`,
    `group:            ${demo.groupId}`,
    `try: curl '${baseUrl}/api/v3/case-messages?guid=${demo.caseGuid}&accessToken=${demo.partnerToken}'`,
    `     curl -H 'Authorization: BimPlus ${demo.userToken}' ${baseUrl}/v2/user/me/messages`,
    '',
  ].join('\n');
}
