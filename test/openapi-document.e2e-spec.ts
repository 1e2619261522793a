import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const REGENERATE = 'run `npm run openapi` and commit openapi.json and clients/typescript/src/schema.ts';
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** JSON pointers where two documents differ, so a failure names what changed instead of dumping 200 KB. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [at || '/'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) => differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`));
}

function operations(document: any): [string, string, any][] {
  return Object.entries(document.paths).flatMap(([path, item]: [string, any]) => METHODS.filter((m) => item[m]).map((m): [string, string, any] => [m, path, item[m]]));
}

describe('OpenAPI document', () => {
  let app: TestApp;
  let served: any;
  const checkedIn = JSON.parse(readFileSync(join(ROOT, 'openapi.json'), 'utf8'));

  beforeAll(async () => {
    app = await startTestApp();
    const res = await app.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    served = res.body;
  });
  afterAll(async () => {
    await app.close();
  });

  it('is what openapi.json holds', () => {
    const changed = differences(checkedIn, served);
    if (changed.length > 0) throw new Error(`/docs-json differs from openapi.json at ${changed.slice(0, 10).join(', ')}: ${REGENERATE}`);
    expect(changed).toEqual([]);
  });

  it('has servers and a unique operationId for every operation', () => {
    expect(served.servers.map((s: { url: string }) => s.url)).toEqual(['/', 'http://localhost:3000']);
    const ids = operations(served).map(([, , operation]) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['caseMessagesCreate', 'caseMessagesFeed', 'userMessagesCreate', 'userInboxInbox']));
  });

  it('documents an error envelope with an example message for every error answer', () => {
    const missing: string[] = [];
    for (const [method, path, operation] of operations(served)) {
      const statuses = Object.keys(operation.responses);
      if (path !== '/health/live' && !statuses.includes('500')) missing.push(`${method} ${path} 500`);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const json = operation.responses[status].content?.['application/json'];
        if (json?.schema?.$ref !== '#/components/schemas/ErrorResponseDto' || typeof json.example?.error?.message !== 'string') missing.push(`${method} ${path} ${status}`);
      }
    }
    expect(missing).toEqual([]);
    expect(served.paths['/api/v3/case-messages/create'].post.responses['429'].headers['Retry-After']).toBeDefined();
  });

  it("matches the client's generated types", async () => {
    const out = mkdtempSync(join(tmpdir(), 'openapi-ts-'));
    try {
      await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), join(ROOT, 'openapi.json'), '--default-non-nullable', 'false', '-o', join(out, 'schema.ts')]);
      const fresh = readFileSync(join(out, 'schema.ts'), 'utf8');
      if (fresh !== readFileSync(join(ROOT, 'clients/typescript/src/schema.ts'), 'utf8')) throw new Error(`clients/typescript/src/schema.ts is stale: ${REGENERATE}`);
      expect(fresh).toContain('caseMessagesFeed');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
