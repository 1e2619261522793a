import { randomUUID } from 'node:crypto';
import { createUser, UserFixture } from './factories';
import { CallAs, Send, startUserMessagesApp } from './factories/user-messages';
import { TestApp } from './support/test-app';

/** Bimplus messaging groups: POST/GET /v2/systemgroups and GET /v2/systemgroups/{id}. */
describe('messaging groups v2 (/v2/systemgroups)', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let as: CallAs;
  let send: Send;

  beforeAll(async () => {
    ({ app, alice, bob, carol, service, as, send } = await startUserMessagesApp());
  });
  afterAll(async () => {
    await app.close();
  });

  const create = (body: unknown, caller = service) => as(caller, 'POST', '/v2/systemgroups', body);

  it("creates the documentation's example group, and a message to it reaches its members", async () => {
    const ids = ['61c9c325-52a2-21b5-47b6-0a06e7152ff9', '6be10633-5950-319f-eae0-12dec2c04219', '2e798f29-4b71-15ee-90eb-18592bc18317'];
    const members = await Promise.all(ids.map((id) => createUser(app, 'user', id)));
    const res = await create({ systemGroup: { name: 'Bimplusdevelopers', description: 'GroupofBimplusdevelopers' }, usersIdList: ids });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Bimplusdevelopers', description: 'GroupofBimplusdevelopers', usersIdList: ids });
    const message = await send(service, { receiver: { id: res.body.id } });
    const inbox = await as(members[0], 'GET', '/v2/user/me/messages');
    expect(inbox.body.map((m: { id: string }) => m.id)).toEqual([message.id]);
    const details = await as(service, 'GET', `/v2/systemgroups/${res.body.id}`);
    expect(details.body).toEqual({ ...res.body, usersIdList: [...ids].sort() });
  });

  it('binds keys in any case, takes a given id and an empty id as none, and ignores unknown keys', async () => {
    const id = randomUUID();
    const named = await create({ SystemGroup: { ID: id.toUpperCase(), Name: `Upper ${id}`, extra: 1 }, UsersIdList: [alice.id], other: true });
    expect(named.status).toBe(201);
    expect(named.body).toEqual({ id, name: `Upper ${id}`, description: null, usersIdList: [alice.id] });
    const generated = await create({ systemGroup: { id: '', name: `Generated ${id}` }, usersIdList: [] });
    expect(generated.status).toBe(201);
    expect(generated.body.id).not.toBe('');
    expect(generated.body.usersIdList).toEqual([]);
  });

  it.each([
    ['no systemGroup', { usersIdList: [] }, 'child "systemGroup" fails because ["systemGroup" is required]'],
    ['no name', { systemGroup: { description: 'd' }, usersIdList: [] }, 'child "systemGroup.name" fails because ["systemGroup.name" is required]'],
    ['a blank name', { systemGroup: { name: '   ' }, usersIdList: [] }, 'child "systemGroup.name" fails because ["systemGroup.name" must not be blank]'],
    ['no usersIdList', { systemGroup: { name: 'n' } }, 'child "usersIdList" fails because ["usersIdList" is required]'],
    ['a malformed user id', { systemGroup: { name: 'n' }, usersIdList: ['not-a-guid', 7] }, 'child "usersIdList" fails because ["usersIdList" must contain user ids (GUIDs), not "not-a-guid", 7]'],
    ['a malformed group id', { systemGroup: { id: 'x', name: 'n' }, usersIdList: [] }, undefined],
  ])('answers 400 for %s, writing nothing', async (_case, body, message) => {
    const before = (await as(service, 'GET', '/v2/systemgroups?limit=1000')).body.length;
    const res = await create(body);
    expect(res.status).toBe(400);
    if (message) expect(res.body).toEqual({ error: { message } });
    else expect(res.body.error.message).toContain('systemGroup.id');
    expect((await as(service, 'GET', '/v2/systemgroups?limit=1000')).body).toHaveLength(before);
  });

  it('answers 400 naming every unknown member, and creates nothing', async () => {
    const name = `Unknown members ${randomUUID()}`;
    const [u1, u2] = [randomUUID(), randomUUID()];
    const res = await create({ systemGroup: { name }, usersIdList: [alice.id, u1, u2] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^usersIdList: unknown users /);
    expect(res.body.error.message).toContain(u1);
    expect(res.body.error.message).toContain(u2);
    expect((await create({ systemGroup: { name }, usersIdList: [] })).status).toBe(201);
  });

  it('answers 409 for a name another group has in any letter case, and for a taken id', async () => {
    const name = `Unique ${randomUUID()}`;
    const first = await create({ systemGroup: { name }, usersIdList: [] });
    expect(first.status).toBe(201);
    const again = await create({ systemGroup: { name: name.toUpperCase() }, usersIdList: [] });
    expect([again.status, again.body]).toEqual([409, { error: { message: `A group named "${name.toUpperCase()}" already exists` } }]);
    expect((await create({ systemGroup: { id: first.body.id, name: `${name} 2` }, usersIdList: [] })).status).toBe(409);
    expect((await create({ systemGroup: { id: alice.id, name: `${name} 3` }, usersIdList: [] })).status).toBe(409);
  });

  it('stores one group when the same name is created concurrently', async () => {
    const name = `Race ${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 5 }, () => create({ systemGroup: { name }, usersIdList: [] })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('lets only service users create groups (403), and needs a token (401)', async () => {
    const res = await create({ systemGroup: { name: 'Mine' }, usersIdList: [] }, alice);
    expect([res.status, res.body]).toEqual([403, { error: { message: 'Only a service user may create messaging groups' } }]);
    expect((await as(undefined, 'GET', '/v2/systemgroups')).status).toBe(401);
  });

  describe('reading', () => {
    let dora: UserFixture;
    let withDora: { id: string };
    let withoutDora: { id: string };

    beforeAll(async () => {
      dora = await createUser(app);
      withDora = (await create({ systemGroup: { name: 'b dora and bob', description: 'two' }, usersIdList: [dora.id, bob.id] })).body;
      withoutDora = (await create({ systemGroup: { name: 'A carol only' }, usersIdList: [carol.id] })).body;
      await create({ systemGroup: { name: 'c dora alone' }, usersIdList: [dora.id] });
    });

    it('shows a user only the groups it belongs to, ordered by name in any case, paged by the Link header', async () => {
      const page1 = await as(dora, 'GET', '/v2/systemgroups?limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body).toEqual([{ id: withDora.id, name: 'b dora and bob', description: 'two' }]);
      const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') as string)?.[1] as string;
      expect(next).toMatch(/^\/v2\/systemgroups\?limit=1&cursor=/);
      const page2 = await as(dora, 'GET', next);
      expect(page2.body.map((g: { name: string }) => g.name)).toEqual(['c dora alone']);
      expect(page2.headers.get('link')).toBeNull();
    });

    it('shows a service user every group', async () => {
      const all = await as(service, 'GET', '/v2/systemgroups?limit=1000');
      const names: string[] = all.body.map((g: { name: string }) => g.name);
      expect(names).toEqual(expect.arrayContaining(['A carol only', 'b dora and bob', 'c dora alone']));
      expect(names.indexOf('A carol only')).toBeLessThan(names.indexOf('b dora and bob'));
    });

    it("answers 404 for a group the user is not in, 200 with members for its own, and 400 for a bad id or cursor", async () => {
      expect((await as(dora, 'GET', `/v2/systemgroups/${withoutDora.id}`)).status).toBe(404);
      const own = await as(dora, 'GET', `/v2/systemgroups/${withDora.id.toUpperCase()}`);
      expect(own.body).toEqual({ id: withDora.id, name: 'b dora and bob', description: 'two', usersIdList: [dora.id, bob.id].sort() });
      expect((await as(service, 'GET', `/v2/systemgroups/${randomUUID()}`)).status).toBe(404);
      expect((await as(dora, 'GET', '/v2/systemgroups/nope')).status).toBe(400);
      expect((await as(dora, 'GET', '/v2/systemgroups?cursor=nope!')).status).toBe(400);
      const nul = Buffer.from(JSON.stringify(['\u0000', randomUUID()])).toString('base64url');
      expect((await as(dora, 'GET', `/v2/systemgroups?cursor=${nul}`)).status).toBe(400);
    });
  });

  it('gives groups a description in the admin API too', async () => {
    const res = await app.admin('POST', '/admin/groups', { name: 'Admin made', description: 'From the console', memberIds: [] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), name: 'Admin made', description: 'From the console', memberIds: [] });
    const seen = await as(service, 'GET', `/v2/systemgroups/${res.body.id}`);
    expect(seen.body.description).toBe('From the console');
  });
});
