import { onMaintenanceDb, quoteIdent } from './support/test-database';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!url || !template) return;
  await onMaintenanceDb(url, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(template)} WITH (FORCE)`));
}
