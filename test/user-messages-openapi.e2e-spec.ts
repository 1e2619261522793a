import { MESSAGE_KEYS } from './factories/user-messages';
import { startTestApp, TestApp } from './support/test-app';

describe('user messages v2: OpenAPI', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('documents every v2 route with its body and answers', async () => {
    const res = await app.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    const paths = res.body.paths;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/v2/messages',
        '/v2/messages/{id}',
        '/v2/messages/{id}/markasreadbrowser',
        '/v2/messages/{id}/markasunreadbrowser',
        '/v2/messages/{id}/markasreademail',
        '/v2/messages/{id}/markasunreademail',
        '/v2/user/{userId}/messages',
        '/v2/user/{userId}/messages/unreadcount',
        '/v2/user/{userId}/messages/markallasreadbrowser',
        '/v2/user/{userId}/messages/markallasreademail',
        '/v2/user/{userId}/messages/sent',
        '/v2/user/{userId}/messages/groupsent',
        '/v2/messages/{id}/updatedashboardadditionaldata',
        '/v2/systemgroups',
        '/v2/systemgroups/{id}',
      ]),
    );
    expect(JSON.stringify(paths['/v2/messages'].post.requestBody)).toContain('CreateUserMessageDto');
    expect(Object.keys(paths['/v2/messages'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(paths['/v2/messages'].get.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['filter', 'limit', 'cursor']));
    expect(Object.keys(res.body.components.schemas.UserMessageResponseDto.properties).sort()).toEqual(MESSAGE_KEYS);
    expect(res.body.components.schemas.UserMessageResponseDto.properties.additionalData.oneOf).toHaveLength(2);
    expect(Object.keys(paths['/v2/systemgroups'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(Object.keys(paths['/v2/messages/{id}/updatedashboardadditionaldata'].put.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
  });
});
