// GET /api/v1/session/list over a real store on both dialects: WARest's shape with every session the key may see,
// oldest first, and the optional status / offset / limit filters beyond WARest (validated, in the envelope).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SessionAccess } from '../../core/sessions/session-access.js';
import { SessionActions } from '../../core/sessions/session-actions.js';
import { SessionManager } from '../../core/sessions/session-manager.js';
import type { Store } from '../../store/open-database.js';
import { createApiKey } from '../../store/repos/api-keys.js';
import { createSession, type NewSession } from '../../store/repos/sessions.js';
import { TEST_DIALECTS, openTestStore } from '../../store/testing.js';
import { adminHeaders, testApp, userHeaders } from '../testing.js';
import { sessionRoutes } from './sessions.js';

const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, child: () => silent } as never;

/** Oldest first: a1 (LOGGED_OUT), a2 (STOPPED, linked), b1 (STARTING: meant to run), a3 (FAILED), a4 (STOPPED). */
const SESSIONS: [Omit<NewSession, 'ownerKeyId'>, 'k-alice' | 'k-bob'][] = [
  [{ id: 'a1', status: 'LOGGED_OUT' }, 'k-alice'],
  [{ id: 'a2', meId: '15550001111:3@s.whatsapp.net', meLid: '9001:3@lid', meName: 'Alice', lastConnectedAt: 1_700_000_000_000 }, 'k-alice'],
  [{ id: 'b1', shouldRun: true }, 'k-bob'],
  [{ id: 'a3', status: 'FAILED' }, 'k-alice'],
  [{ id: 'a4' }, 'k-alice'],
];

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: session/list`, () => {
    let store: Store;
    let app: FastifyInstance;
    const list = async (query = '', headers: Record<string, string> = adminHeaders) => {
      const response = await app.inject({ method: 'GET', url: `/api/v1/session/list${query}`, headers });
      return { status: response.statusCode, body: response.json(), type: response.headers['content-type'] };
    };
    const ids = async (query: string, headers?: Record<string, string>) => {
      const answer = await list(query, headers);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.results[0].items.map((item: { id: string }) => item.id);
    };

    before(async () => {
      store = await openTestStore(dialect);
      for (const id of ['k-alice', 'k-bob']) await createApiKey(store.db, { id, name: id, keyHash: id.padEnd(64, '0') });
      for (const [i, [session, owner]] of SESSIONS.entries()) await createSession(store.db, { ...session, ownerKeyId: owner }, 1_700_000_000_000 + i);
      const manager = new SessionManager({
        db: store.db,
        engine: () => Promise.reject(new Error('no session is started here')),
        network: {},
        logger: silent,
        resumeConcurrency: 1,
      });
      const access = new SessionAccess(store.db, { runtime: (id) => manager.runtime(id) });
      const actions = new SessionActions({ db: store.db, manager, access, allowPrivateWebhooks: false, logger: silent });
      ({ app } = await testApp({ registerRoutes: [{ routes: sessionRoutes(actions) }] }));
    });
    after(async () => {
      await app.close();
      await store.close();
    });

    it("answers every session in WARest's shape, oldest first", async () => {
      const answer = await list();
      assert.equal(answer.status, 200);
      assert.equal(answer.type, 'application/json; charset=utf-8');
      assert.deepEqual({ ...answer.body, results: undefined }, { status: true, code: 1000, message: 'OK', results: undefined });
      const items = answer.body.results[0].items;
      assert.deepEqual(items.map((item: { id: string; status: string }) => [item.id, item.status]), [
        ['a1', 'LOGGED_OUT'], ['a2', 'STOPPED'], ['b1', 'STARTING'], ['a3', 'FAILED'], ['a4', 'STOPPED'],
      ]);
      assert.deepEqual(items[1], {
        id: 'a2', status: 'STOPPED', me: { id: '15550001111:3@s.whatsapp.net', lid: '9001:3@lid', name: 'Alice' }, pushName: 'Alice', lastConn: 1_700_000_000_000,
      });
      assert.deepEqual(items[0], { id: 'a1', status: 'LOGGED_OUT', me: null, pushName: null, lastConn: null });
    });

    it('a user key sees only its own sessions, filters included', async () => {
      assert.deepEqual(await ids('', userHeaders), ['a1', 'a2', 'a3', 'a4']);
      assert.deepEqual(await ids('?status=STOPPED&limit=1&offset=1', userHeaders), ['a4']);
    });

    it('filters by status', async () => {
      assert.deepEqual(await ids('?status=STOPPED'), ['a2', 'a4']);
      assert.deepEqual(await ids('?status=STARTING'), ['b1']);
      assert.deepEqual(await ids('?status=WORKING'), []);
    });

    it('pages with offset and limit, after the status filter', async () => {
      assert.deepEqual(await ids('?limit=2'), ['a1', 'a2']);
      assert.deepEqual(await ids('?offset=3'), ['a3', 'a4']);
      assert.deepEqual(await ids('?offset=1&limit=2'), ['a2', 'b1']);
      assert.deepEqual(await ids('?offset=5'), []);
      assert.deepEqual(await ids('?status=STOPPED&offset=1&limit=5'), ['a4']);
    });

    it('refuses bad filter values with 400 INVALID_PARAMETER in the envelope', async () => {
      for (const [query, message] of [
        ['?status=working', /status must be one of: STARTING, SCAN_QR_CODE, WORKING/],
        ['?status=', /status must be one of/],
        ['?limit=0', /limit must be >= 1/],
        ['?limit=ten', /limit must be integer/],
        ['?limit=1.5', /limit must be integer/],
        ['?limit=Infinity', /limit must be a finite number|limit must be integer/],
        ['?offset=-1', /offset must be >= 0/],
        ['?offset=100001', /offset must be <= 100000/],
      ] as const) {
        const answer = await list(query);
        assert.equal(answer.status, 400, query);
        assert.equal(answer.body.status, false, query);
        assert.equal(answer.body.code, 2002, query);
        assert.match(answer.body.message, message, query);
      }
    });

    it('documents the filters in the OpenAPI document', async () => {
      const doc = (await app.inject({ url: '/docs/json' })).json();
      const parameters = doc.paths['/api/v1/session/list'].get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
      assert.deepEqual(parameters.sort(), ['query:limit', 'query:offset', 'query:status']);
    });
  });
}
