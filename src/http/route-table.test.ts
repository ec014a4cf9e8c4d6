import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { actionRoute, API_ACTIONS, API_PREFIX, apiAction } from './route-table.js';
import { adminHeaders, testApp, userHeaders } from './testing.js';
import type { RouteModule } from './types.js';

const concreteUrl = (path: string) => API_PREFIX + path.replace(/:(\w+)/g, (_match, name: string) => `${name}-1`);

describe('route table', () => {
  it('lists the 90 WARest actions with the category counts of api-compat §1.3', () => {
    assert.equal(API_ACTIONS.length, 90);
    const counts: Record<string, number> = {};
    for (const action of API_ACTIONS) counts[action.category] = (counts[action.category] ?? 0) + 1;
    assert.deepEqual(counts, {
      Sessions: 8, 'Messages - Sending': 12, Chats: 10, 'Messages - Actions': 8, Groups: 24, Profile: 8, Server: 7, Miscellaneous: 13,
    });
  });

  it('has unique operations and unique method + path pairs', () => {
    assert.equal(new Set(API_ACTIONS.map((a) => a.operation)).size, 90);
    assert.equal(new Set(API_ACTIONS.map((a) => `${a.method} ${a.path}`)).size, 90);
  });

  it('keeps the quirky routes exactly', () => {
    assert.deepEqual([apiAction('joinGroupByLink').method, apiAction('previewGroupByLink').method], ['POST', 'GET']);
    assert.equal(apiAction('archiveChat').path, '/messages/action/archive');
    assert.equal(apiAction('removeGroupParticipants').method, 'DELETE');
    assert.deepEqual(apiAction('pinMessage').pathParams, ['chatId', 'messageId']);
    assert.deepEqual(apiAction('revokeGroupInvite').fields, ['sessionId', 'groupId']);
  });

  it('builds route options with OpenAPI metadata from the table', () => {
    const route = actionRoute('revokeGroupInvite', { schema: { body: { type: 'object' } }, handler: async () => null });
    assert.equal(route.method, 'POST');
    assert.equal(route.url, '/group/invite/revoke');
    assert.deepEqual(route.schema, { tags: ['Groups'], summary: 'Revoke Invite Link', operationId: 'revokeGroupInvite', body: { type: 'object' } });
  });
});

describe('route registration', () => {
  // A later module implementing one action: its route must win over the stub.
  const groups: RouteModule = {
    routes: async (app) => {
      app.route(actionRoute('revokeGroupInvite', {
        handler: async (_request, reply) => reply.envelope('SUCCESS', 'Invite link revoked', { code: 'NEW456DEF' }),
      }));
    },
  };
  let app: FastifyInstance;
  before(async () => ({ app } = await testApp({ registerRoutes: [groups] })));
  after(() => app.close());

  it('answers every table action (501 until implemented, never 404)', async () => {
    for (const action of API_ACTIONS) {
      const response = await app.inject({
        method: action.method,
        url: concreteUrl(action.path),
        headers: adminHeaders,
        ...(action.method === 'GET' ? {} : { payload: {} }),
      });
      assert.notEqual(response.statusCode, 404, `${action.method} ${action.path}`);
      if (action.category === 'Server' || action.operation === 'revokeGroupInvite') continue;
      assert.equal(response.statusCode, 501, `${action.method} ${action.path}`);
      assert.deepEqual(response.json(), { status: false, code: 8005, message: `${action.action} is not implemented yet`, results: [] });
    }
  });

  it('lets a registered route module replace the stub', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/group/invite/revoke', headers: userHeaders, payload: {} });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().results, [{ code: 'NEW456DEF' }]);
  });

  it('still requires a key on stubs', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/groups' });
    assert.equal(response.statusCode, 401);
  });
});
