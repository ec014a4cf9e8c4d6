import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/errors.js';
import { extractApiKey, extractSessionToken, redactUrl } from './credentials.js';
import { ADMIN_KEY, captureLogs, OTHER_USER_KEY, SESSION_TOKEN, testApp, TOKEN_SESSION, USER_KEY } from './testing.js';
import type { RouteModule } from './types.js';

// A probe route that reports who the caller is.
const whoami: RouteModule = {
  routes: async (app) => {
    app.get('/test/whoami', async (request) => request.principal);
    app.post('/test/whoami', async (request) => request.principal);
    app.get('/test/signed', { config: { signedAccess: true } }, async (request) => ({ principal: request.principal }));
  },
};

describe('credential extraction', () => {
  it('follows the WARest key order: headers, then query, then Authorization', () => {
    const headers = { 'x-warest-api-key': 'h1', 'x-api-key': 'h2', 'api-key': 'h3', authorization: 'Bearer a1' };
    assert.equal(extractApiKey({ headers, query: { api_key: 'q1' } }), 'h1');
    assert.equal(extractApiKey({ headers: { 'x-api-key': ' ', 'api-key': 'h3' } }), 'h3');
    assert.equal(extractApiKey({ headers: { authorization: 'Bearer a1' }, query: { apiKey: 'q3', apikey: 'q2' } }), 'q2');
    assert.equal(extractApiKey({ headers: { authorization: 'Bearer a1' }, query: { apiKey: 'q3' } }), 'q3');
    for (const scheme of ['Bearer', 'Token', 'APIKey', 'bearer']) {
      assert.equal(extractApiKey({ headers: { authorization: `${scheme} k-1` } }), 'k-1');
    }
    assert.equal(extractApiKey({ headers: { authorization: 'Basic abc' } }), undefined);
    assert.equal(extractApiKey({ headers: {} }), undefined);
  });

  it('finds the Wawp access token in query, body or header', () => {
    assert.deepEqual(extractSessionToken({ headers: {}, query: { instance_id: 'i', access_token: 't' } }), { instanceId: 'i', token: 't' });
    assert.deepEqual(extractSessionToken({ headers: {}, body: { instance_id: 'i', access_token: 't' } }), { instanceId: 'i', token: 't' });
    assert.deepEqual(extractSessionToken({ headers: { 'access-token': 't' }, query: { instance_id: 'i' } }), { instanceId: 'i', token: 't' });
    assert.equal(extractSessionToken({ headers: {}, query: { instance_id: 'i' } }), undefined);
  });

  it('refuses a credential or instance_id sent more than once, or not as text', () => {
    const invalid = (error: unknown) => error instanceof GatewayError && error.code === 'INVALID_PARAMETER';
    assert.throws(() => extractSessionToken({ headers: {}, query: { instance_id: ['a1', 'a1'], access_token: 't' } }), invalid);
    assert.throws(() => extractSessionToken({ headers: {}, query: { instance_id: 'a1', access_token: ['t', 'u'] } }), invalid);
    assert.throws(() => extractSessionToken({ headers: {}, body: { instance_id: { id: 'a1' }, access_token: 't' } }), invalid);
    assert.throws(() => extractSessionToken({ headers: {}, query: { instance_id: 'a1', access_token: 't' }, body: { instance_id: 'a2' } }), invalid);
    assert.throws(() => extractApiKey({ headers: {}, query: { api_key: ['k1', 'k2'] } }), invalid);
  });

  it('masks credentials in logged URLs', () => {
    assert.equal(redactUrl('/a?api_key=secret&x=1'), '/a?api_key=redacted&x=1');
    assert.equal(redactUrl('/a?apiKey=s&access_token=t'), '/a?apiKey=redacted&access_token=redacted');
    assert.equal(redactUrl('/a?x=1'), '/a?x=1');
    assert.equal(redactUrl('/api/v1/media/abc?expires=1&signature=deadbeef'), '/api/v1/media/abc?expires=1&signature=redacted');
  });
});

describe('auth hook', () => {
  let app: FastifyInstance;
  before(async () => ({ app } = await testApp({ registerRoutes: [whoami] })));
  after(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('answers 401 Missing X-WAREST-API-KEY without credentials', async () => {
    const response = await get('/api/v1/test/whoami');
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { error: 'Missing X-WAREST-API-KEY' });
  });

  it('answers 401 Invalid X-WAREST-API-KEY for an unknown key', async () => {
    const response = await get('/api/v1/test/whoami', { 'x-api-key': 'nope' });
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { error: 'Invalid X-WAREST-API-KEY' });
  });

  it('accepts the key from every WARest location', async () => {
    const locations: [string, Record<string, string>][] = [
      ['', { 'x-warest-api-key': USER_KEY }],
      ['', { 'x-api-key': USER_KEY }],
      ['', { 'api-key': USER_KEY }],
      [`?api_key=${USER_KEY}`, {}],
      [`?apikey=${USER_KEY}`, {}],
      [`?apiKey=${USER_KEY}`, {}],
      ['', { authorization: `Bearer ${USER_KEY}` }],
      ['', { authorization: `Token ${USER_KEY}` }],
      ['', { authorization: `APIKey ${USER_KEY}` }],
    ];
    for (const [query, headers] of locations) {
      const response = await get(`/api/v1/test/whoami${query}`, headers);
      assert.equal(response.statusCode, 200, JSON.stringify({ query, headers }));
      assert.equal(response.json().username, 'alice');
    }
  });

  it('uses the first key found: an invalid header key is not rescued by a valid bearer', async () => {
    const response = await get('/api/v1/test/whoami', { 'x-warest-api-key': 'nope', authorization: `Bearer ${USER_KEY}` });
    assert.equal(response.statusCode, 401);
  });

  it('accepts a Wawp session token from query, JSON body or access-token header', async () => {
    const viaQuery = await get(`/api/v1/test/whoami?instance_id=${TOKEN_SESSION}&access_token=${SESSION_TOKEN}`);
    assert.deepEqual(viaQuery.json(), { kind: 'session', sessionId: TOKEN_SESSION });
    const viaBody = await app.inject({
      method: 'POST', url: '/api/v1/test/whoami', payload: { instance_id: TOKEN_SESSION, access_token: SESSION_TOKEN },
    });
    assert.deepEqual(viaBody.json(), { kind: 'session', sessionId: TOKEN_SESSION });
    const viaHeader = await get(`/api/v1/test/whoami?instance_id=${TOKEN_SESSION}`, { 'access-token': SESSION_TOKEN });
    assert.equal(viaHeader.json().kind, 'session');
  });

  it('rejects a token for another instance with the Wawp error shape', async () => {
    const response = await get(`/api/v1/test/whoami?instance_id=other&access_token=${SESSION_TOKEN}`);
    assert.equal(response.statusCode, 401);
    assert.deepEqual(response.json(), { status: 401, message: 'Invalid or Missing Access Token', error: 'invalid_access_token' });
    const noInstance = await get(`/api/v1/test/whoami?access_token=${SESSION_TOKEN}`);
    assert.equal(noInstance.statusCode, 400);
    assert.equal(noInstance.json().error, 'invalid_instance');
  });

  it('keeps /server/* admin-only (403 Admin only) except the public ping', async () => {
    for (const headers of [{ 'x-warest-api-key': USER_KEY }, { 'access-token': SESSION_TOKEN }] as Record<string, string>[]) {
      const response = await get(`/api/v1/server/info?instance_id=${TOKEN_SESSION}`, headers);
      assert.equal(response.statusCode, 403);
      assert.deepEqual(response.json(), { error: 'Admin only' });
    }
    assert.equal((await get('/api/v1/server/info')).statusCode, 401);
    assert.equal((await get('/api/v1/server/info', { 'x-warest-api-key': ADMIN_KEY })).statusCode, 200);
    assert.equal((await get('/api/v1/server/ping')).statusCode, 200);
  });

  it('lets a signed link through without credentials only on routes that accept one, with both parameters', async () => {
    const signed = await get('/api/v1/test/signed?expires=1&signature=ab');
    assert.equal(signed.statusCode, 200);
    assert.deepEqual(signed.json(), { principal: null }, 'the route checks the signature itself');
    for (const url of ['/api/v1/test/signed?expires=1', '/api/v1/test/signed?signature=ab', '/api/v1/test/signed?expires=&signature=ab', '/api/v1/test/whoami?expires=1&signature=ab']) {
      assert.equal((await get(url)).statusCode, 401, url);
    }
    assert.equal((await get('/api/v1/test/signed', { 'x-warest-api-key': USER_KEY })).json().principal.username, 'alice');
  });

  it('answers 401 before validating the body', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/server/restart/scheduled', payload: {} });
    assert.equal(response.statusCode, 401);
  });

  it('never logs the key', async () => {
    const logs = captureLogs();
    const { app: logged } = await testApp({ logger: logs.logger, registerRoutes: [whoami] });
    await logged.inject({ method: 'GET', url: `/api/v1/test/whoami?api_key=${USER_KEY}` });
    await logged.inject({ method: 'GET', url: '/api/v1/test/whoami', headers: { authorization: `Bearer ${OTHER_USER_KEY}` } });
    await logged.close();
    assert.ok(logs.lines.some((line) => line.msg === 'request completed'));
    assert.doesNotMatch(logs.text(), new RegExp(`${USER_KEY}|${OTHER_USER_KEY}`));
  });
});
