import { createAccount, createCase, createUser } from './factories';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';

describe('platform: errors, health, metrics, docs, logs', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('reports liveness and readiness', async () => {
    const live = await app.request('GET', '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await app.request('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, migrations: { status: 'up' } });
  });

  it('answers /health as readiness, and documents it', async () => {
    const [health, ready] = [await app.request('GET', '/health'), await app.request('GET', '/health/ready')];
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', info: expect.objectContaining({ database: expect.objectContaining({ status: 'up' }), migrations: { status: 'up' } }), error: {}, details: expect.any(Object) });
    expect(Object.keys(health.body.info).sort()).toEqual(Object.keys(ready.body.info).sort());
    const doc = (await app.request('GET', '/docs-json')).body;
    expect(Object.keys(doc.paths['/health'].get.responses)).toEqual(expect.arrayContaining(['200', '503']));
    expect(doc.paths['/health'].get.responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponseDto' });
  });

  it('answers / with a start page for people that links the docs, the inbox and the probes, and keeps it out of the API document', async () => {
    const res = await app.request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const links = [...res.text.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(expect.arrayContaining(['/docs', '/docs-json', '/inbox', '/health', '/health/live', '/health/ready', '/metrics']));
    // The CSP allows no inline script, so the page has none.
    expect(res.text).not.toMatch(/<script|\son[a-z]+=/i);
    for (const link of links.filter((l) => l.startsWith('/'))) {
      const target = await app.request('GET', link);
      expect([link, target.status]).toEqual([link, 200]);
    }
    const doc = (await app.request('GET', '/docs-json')).body;
    expect(doc.paths['/']).toBeUndefined();
  });

  it('answers an unknown route with a 404 in the envelope', async () => {
    const res = await app.request('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { message: 'Cannot GET /no/such/route' } });
  });

  it('refuses a body over 1 MiB with 413 in the envelope', async () => {
    const res = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'x'.repeat(1024 * 1024 + 10) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { message: 'Request body is too large (limit 1 MiB)' } });
  });

  it('refuses malformed JSON with 400 in the envelope, and writes nothing', async () => {
    const res = await app.request('POST', '/admin/accounts', {
      rawBody: '{"type": "partner", "name": ',
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Request body is not valid JSON' } });
    const list = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'after-bad-json' });
    expect(list.body.id).toBeGreaterThan(0);
  });

  it('refuses a body that is not JSON with 415, and an empty JSON body where one is required with 400', async () => {
    const auth = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
    const text = await app.request('POST', '/admin/accounts', { rawBody: '{"type": "partner", "name": "plain"}', headers: { ...auth, 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ error: { message: 'Unsupported content type: send application/json' } });
    const form = await app.request('POST', '/admin/accounts', { rawBody: 'type=partner&name=form', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    const empty = await app.request('POST', '/admin/accounts', { rawBody: '', headers: { ...auth, 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({ error: { message: 'child "type" fails because ["type" is required]' } });
  });

  it('answers a URL that is not validly percent-encoded, or a too long path parameter, in the envelope with the usual headers', async () => {
    const res = await app.request('GET', '/api/v3/%zz');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Bad request: the URL is not validly percent-encoded' } });
    const long = await app.request('GET', `/v2/messages/${'a'.repeat(120)}`);
    expect(long.status).toBe(414);
    expect(long.body).toEqual({ error: { message: 'A path parameter is too long' } });
    // Fastify answers these before the onRequest hook that sets the headers of every other answer.
    for (const answer of [res, long]) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
  });

  it("answers headers over Node's 16 KiB limit with 431 in the envelope (Node answers before Fastify has a request)", async () => {
    const res = await app.request('GET', '/health/live', { headers: { 'x-big': 'a'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ error: { message: 'Request header fields too large' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('reads an empty body as none whatever its content type (.NET StringContent(""), fetch with body "")', async () => {
    const account = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'empty-body' });
    const auth = { authorization: 'Bearer test-admin-token-0123456789abcdef' };
    for (const type of ['text/plain; charset=utf-8', 'application/x-www-form-urlencoded']) {
      const res = await app.request('POST', `/admin/accounts/${account.body.id}/tokens`, { rawBody: '', headers: { ...auth, 'content-type': type } });
      expect([type, res.status]).toEqual([type, 201]);
    }
  });

  it('never echoes the query of an unknown route (it may hold an accessToken)', async () => {
    const res = await app.request('GET', '/api/v3/case-messages/create?accessToken=0123456789abcdef');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { message: 'Cannot GET /api/v3/case-messages/create' } });
  });

  it('refuses unknown fields named like Object.prototype members', async () => {
    for (const key of ['toString', 'valueOf', 'constructor', 'hasOwnProperty']) {
      const res = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'proto', [key]: 'x' });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: `"${key}" is not allowed` } });
    }
  });

  it('refuses input nested deeper than 32 levels with a 400 (100,000 levels were a 500)', async () => {
    const res = await app.request('POST', '/api/v3/case-messages/confirm', { rawBody: `${'['.repeat(100_000)}${']'.repeat(100_000)}` });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: 'Input is nested too deeply (at most 32 levels)' } });
  });

  it('refuses text with a lone UTF-16 surrogate (it would be stored changed)', async () => {
    const res = await app.request('POST', '/admin/accounts', {
      rawBody: '{"type": "partner", "name": "a\\ud800b"}',
      headers: { authorization: 'Bearer test-admin-token-0123456789abcdef' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: '"name" must be valid Unicode (it contains a lone surrogate)' } });
  });

  it('refuses text containing a NUL character', async () => {
    const res = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message: '"name" must not contain NUL characters' } });
  });

  it('echoes a request id, or makes one', async () => {
    const given = await app.request('GET', '/health/live', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await app.request('GET', '/health/live');
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers on answers, errors and unknown routes', async () => {
    for (const path of ['/health/live', '/api/v3/case-messages?guid=x', '/no-such-route']) {
      const res = await app.request('GET', path);
      expect([path, res.headers.get('x-content-type-options')]).toEqual([path, 'nosniff']);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      // Pages served over plain HTTP must load their own scripts over plain HTTP too.
      expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('lets no cache keep an answer: a new token, shown once, is no-store', async () => {
    const account = await app.admin('POST', '/admin/accounts', { type: 'partner', name: 'no-store' });
    const token = await app.admin('POST', `/admin/accounts/${account.body.id}/tokens`, {});
    expect(token.status).toBe(201);
    expect(token.headers.get('cache-control')).toBe('no-store');
  });

  it('serves Prometheus metrics with request latency by route', async () => {
    await app.request('GET', '/health/live');
    const res = await app.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http_request_duration_seconds_bucket');
    expect(res.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} \d+/);
    // Delivery counters exist from the start, at 0 until something happens (rate() and alerts need the series).
    for (const name of ['delivery_sent_total', 'delivery_failed_total', 'delivery_attempt_failures_total']) {
      for (const kind of ['email', 'webhook']) expect(res.text).toMatch(new RegExp(`^${name}\\{kind="${kind}"\\} \\d+$`, 'm'));
    }
  });

  it('serves the OpenAPI document with every security scheme', async () => {
    const res = await app.request('GET', '/docs-json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.components.securitySchemes).sort()).toEqual(['BimPlus', 'accessToken', 'admin', 'bearer', 'hubApiToken', 'metrics']);
    expect(res.body.paths['/admin/accounts']).toBeDefined();
    // Every operation states the platform's answers; the request fields have their real types.
    for (const [path, item] of Object.entries(res.body.paths as Record<string, Record<string, { responses: object; requestBody?: object }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (path !== '/health/live') expect([method, path, Object.keys(operation.responses)]).toEqual([method, path, expect.arrayContaining(['500'])]);
        if (path !== '/health/live' && path !== '/metrics') expect([method, path, Object.keys(operation.responses)]).toEqual([method, path, expect.arrayContaining(['503'])]);
        if (operation.requestBody) expect([method, path, Object.keys(operation.responses)]).toEqual([method, path, expect.arrayContaining(['413', '415'])]);
        // Wrong admin tokens are rate limited per address (the right one never is).
        if (path.startsWith('/admin/')) expect([method, path, Object.keys(operation.responses)]).toEqual([method, path, expect.arrayContaining(['401', '429'])]);
      }
    }
    const schemas = res.body.components.schemas;
    expect(schemas.CreateCaseMessageDto.properties.parentMessageId.type).toBe('integer');
    for (const field of ['content', 'declaredAt', 'externalId', 'userEmail', 'userName']) expect([field, schemas.CreateCaseMessageDto.properties[field].type]).toEqual([field, 'string']);
    expect(schemas.CreateUserMessageDto.properties.unreadEmail.type).toBe('boolean');
    expect(schemas.CreateUserMessageDto.properties.additionalData.oneOf.map((s: { type: string }) => s.type)).toEqual(['string', 'object']);
    expect(schemas.ReceiverInputDto.properties.email.type).toBe('string');
    const createHeaders = res.body.paths['/v2/messages'].post.parameters.filter((p: { in: string }) => p.in === 'header');
    expect(createHeaders).toEqual([expect.objectContaining({ name: 'idempotency-key', required: false })]);
    for (const path of ['/v2/messages', '/v2/user/{userId}/messages']) expect(res.body.paths[path].get.responses['200'].headers.Link).toBeDefined();
    // What a generated client needs: typed query parameters, integer ids,
    // the stream's media type, readiness failing in the error envelope, the token documented once.
    const param = (path: string, method: string, name: string) =>
      res.body.paths[path][method].parameters.find((p: { name: string }) => p.name === name) as { schema: Record<string, unknown> } | undefined;
    expect(param('/v2/messages', 'get', 'limit')?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 100 });
    expect(param('/v2/user/{userId}/messages', 'get', 'cursor')?.schema).toMatchObject({ type: 'string', maxLength: 200 });
    expect(param('/api/v3/case-messages/feed', 'get', 'limit')?.schema).toMatchObject({ type: 'integer', maximum: 1000, default: 100 });
    expect(param('/api/v3/case-messages/feed', 'get', 'accessToken')).toBeUndefined();
    expect(param('/v2/messages/{id}', 'get', 'id')?.schema).toEqual({ type: 'string', format: 'uuid' });
    expect(param('/admin/accounts/{id}/tokens', 'post', 'id')?.schema).toMatchObject({ type: 'integer', minimum: 1 });
    expect(schemas.CaseMessageResponseDto.properties.id.type).toBe('integer');
    expect(schemas.CreateCaseMessageDto.properties.userEmail.format).toBe('email');
    expect(res.body.paths['/v2/user/{userId}/messages/stream'].get.responses['200'].content['text/event-stream']).toBeDefined();
    // Only the 200s are event stream and Prometheus text; every error is the JSON envelope.
    for (const path of ['/v2/user/{userId}/messages/stream', '/metrics']) {
      for (const [status, response] of Object.entries(res.body.paths[path].get.responses as Record<string, { content: object }>)) {
        if (status !== '200') expect([path, status, Object.keys(response.content)]).toEqual([path, status, ['application/json']]);
      }
    }
    expect(res.body.paths['/health/ready'].get.responses['503'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponseDto' });
    expect(res.body.paths['/api/v3/case-messages/feed'].get.responses['403']).toBeUndefined();
    expect(res.body.paths['/v2/messages/{id}/markasreadbrowser'].post.responses['415']).toBeDefined();
    expect(param('/admin/deliveries', 'get', 'limit')?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 100, example: 100 });
    for (const [path, method] of [['/admin/deliveries', 'get'], ['/admin/deliveries/retry-failed', 'post']]) expect(res.body.paths[path][method].responses['400']).toBeDefined();
    expect(Object.keys(res.body.paths['/health/live'].get.responses)).toEqual(['200']);
    // /metrics: Prometheus text, open unless METRICS_TOKEN is set (the empty requirement), never the database's 503.
    const metrics = res.body.paths['/metrics'].get;
    expect(metrics.security).toEqual([{}, { metrics: [] }]);
    expect(Object.keys(metrics.responses).sort()).toEqual(['200', '401', '429', '500']);
    expect(metrics.responses['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(res.body.paths['/v2/messages'].get.responses['503'].headers['Retry-After']).toBeDefined();
    expect(res.body.paths['/health/ready'].get.responses['503'].description).toMatch(/migrations pending/);
    const ui = await app.request('GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('writes one JSON log line per request and never logs a token', async () => {
    const partner = await createAccount(app, 'partner');
    const provider = await createAccount(app, 'provider');
    const user = await createUser(app);
    const kase = await createCase(app, partner, provider);
    await app.request('GET', `/api/v3/case-messages?guid=${kase.guid}&accessToken=${partner.token}`);
    await app.request('GET', `/api/v3/case-messages?guid=${kase.guid}`, { headers: { authorization: `Bearer ${provider.token}` } });
    await app.request('GET', '/v2/user/me/messages', { headers: { authorization: `BimPlus ${user.token}` } });
    await app.request('GET', '/health/live', { headers: { authorization: `BimPlus ${user.token}`, 'x-request-id': 'log-probe' } });
    await app.request('GET', `/api/v3/case-messages?guid=${kase.guid}&accessToken[]=${provider.token}`);
    const all = app.logs.join('\n');
    for (const token of [partner.token, provider.token, user.token]) expect(all).not.toContain(token);
    const probe = app.logs.map((l) => JSON.parse(l)).filter((l) => l.reqId === 'log-probe');
    expect(probe).toHaveLength(1);
    expect(probe[0]).toMatchObject({ msg: 'request', method: 'GET', url: '/health/live', status: 200 });
    expect(all).toContain('accessToken=[REDACTED]');
  });
});

describe('platform: rate limit', () => {
  it('answers 429 with Retry-After once a token exceeds its per-minute budget', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const user = await createUser(app);
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${user.token}` } });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
      expect(last!.status).toBe(429);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(last!.body.error.message).toBe('Too many requests; retry after the time in Retry-After');
    } finally {
      await app.close();
    }
  });

  it('never limits the right ADMIN_TOKEN or METRICS_TOKEN, and counts wrong ones against the address', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', METRICS_TOKEN: 'test-metrics-token-0123456789' });
    try {
      const right = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const wrong = { authorization: 'Bearer guess-0123456789abcdef' };
      const rightStatuses: number[] = [];
      for (let i = 0; i < 5; i++) rightStatuses.push((await app.request('GET', '/admin/deliveries', { headers: right })).status);
      expect(rightStatuses).toEqual([200, 200, 200, 200, 200]);
      const wrongStatuses: number[] = [];
      for (let i = 0; i < 4; i++) wrongStatuses.push((await app.request('GET', '/admin/deliveries', { headers: wrong })).status);
      expect(wrongStatuses).toEqual([401, 401, 401, 429]);
      const limited = await app.request('POST', '/admin/accounts', { headers: wrong, body: { type: 'partner', name: 'x' } });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // The address is spent for guesses, not for the operator or the scraper.
      expect((await app.request('GET', '/metrics', { headers: wrong })).status).toBe(429);
      expect((await app.request('GET', '/metrics', { headers: { authorization: 'Bearer test-metrics-token-0123456789' } })).status).toBe(200);
      expect((await app.request('POST', '/admin/accounts', { headers: right, body: { type: 'partner', name: 'after' } })).status).toBe(201);
    } finally {
      await app.close();
    }
  });

  it('counts a v2 call against the token it authenticates with, whatever ?accessToken= says', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const user = await createUser(app);
      const statuses: number[] = [];
      // A different bogus ?accessToken= each time: it once moved the count to the address, a fresh budget per address.
      for (let i = 0; i < 4; i++) {
        const res = await app.request('GET', `/v2/user/me/messages/unreadcount?accessToken=bogus${i}`, { headers: { authorization: `BimPlus ${user.token}` } });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const stream = await app.request('GET', `/v2/user/me/messages/stream?accessToken=${user.token}`);
      expect(stream.status).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('platform: CORS', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CORS_ORIGINS: 'https://portal.example.com' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets an allowed origin preflight every method the APIs use, and no other origin', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      const res = await app.request('OPTIONS', '/v2/messages/1e0abcb7-b94c-4072-a9c0-37072a1ef015', {
        headers: { origin: 'https://portal.example.com', 'access-control-request-method': method, 'access-control-request-headers': 'authorization' },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://portal.example.com');
      expect(res.headers.get('access-control-allow-methods')?.split(',').map((m) => m.trim())).toContain(method);
    }
    const other = await app.request('OPTIONS', '/v2/messages', { headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  it('tells a missing token from a wrong one, and serves the right one', async () => {
    const app = await startTestApp({ METRICS_TOKEN: 'test-metrics-token-0123456789' });
    try {
      const missing = await app.request('GET', '/metrics');
      expect([missing.status, missing.body]).toEqual([401, { error: { message: 'Missing metrics token: use "Authorization: Bearer <METRICS_TOKEN>"' } }]);
      const wrong = await app.request('GET', '/metrics', { headers: { authorization: 'Bearer not-the-metrics-token' } });
      expect([wrong.status, wrong.body]).toEqual([401, { error: { message: 'Invalid metrics token' } }]);
      const right = await app.request('GET', '/metrics', { headers: { authorization: 'Bearer test-metrics-token-0123456789' } });
      expect(right.status).toBe(200);
      expect(right.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    } finally {
      await app.close();
    }
  });
});
