import { dropDatabase } from './support/test-database';

export default async function globalTeardown(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!url || !template) return;
  await dropDatabase(url, template);
}
