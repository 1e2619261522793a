import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('schema', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  // The migrations are the schema; the entities must describe the same one, or the next
  // `npm run migration:generate` would draft unrelated changes.
  it('matches the entities after every migration, so migration:generate finds nothing to do', async () => {
    const pending = await app.running.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});
