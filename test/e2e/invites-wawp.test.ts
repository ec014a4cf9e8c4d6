// The Wawp-compatible invite routes end to end, on SQLite and PostgreSQL: the session access token in the query,
// the JSON body or the `access-token` header (and an API key with instance_id), `{code, inviteLink}` answers,
// and errors in Wawp's `{status, message, error}` shape (401 wrong token, 400 missing group, 429, 403 not admin).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS } from '../support/gateway-harness.js';
import { OUR_PHONE, SESSION, adminGroup, humanActs, sandboxGroup, settle, startInviteWorld, type InviteWorld } from './invites-fixture.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: Wawp invite routes`, () => {
    let world: InviteWorld;
    let group: string;
    let bare: string;
    const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) =>
      world.gw.request(method, path, { ...options, key: null });

    before(async () => {
      world = await startInviteWorld(dialect, { WAYGATE_INVITE_MIN_INTERVAL: '1' });
      group = await adminGroup(world, 'Wawp campaign');
      bare = group.split('@')[0]!;
    });
    after(() => world.close());

    test('GET invite-code with the token in the query string answers {code, inviteLink}', async () => {
      const answer = await call('GET', `/v2/groups/${bare}/invite-code?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const { inviteCode } = await sandboxGroup(world, group);
      assert.deepEqual(answer.body, { code: inviteCode, inviteLink: `https://chat.whatsapp.com/${inviteCode}` });
    });

    test('revoke with the token in the JSON body, then too soon (429, Wawp shape, Retry-After)', async () => {
      const before = (await sandboxGroup(world, group)).inviteCode;
      const answer = await call('POST', `/v2/groups/${encodeURIComponent(group)}/invite-code/revoke`, { body: { instance_id: SESSION, access_token: world.accessToken } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(Object.keys(answer.body).sort(), ['code', 'inviteLink']);
      assert.notEqual(answer.body.code, before);
      assert.equal((await sandboxGroup(world, group)).inviteCode, answer.body.code);

      const tooSoon = await call('POST', `/v2/groups/${bare}/invite-code/revoke?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.equal(tooSoon.status, 429);
      assert.equal(tooSoon.headers.get('retry-after'), '1');
      assert.deepEqual([tooSoon.body.status, tooSoon.body.error, tooSoon.body.code], [429, 'revoke_too_soon', 5011]);
      assert.match(tooSoon.body.message, /revoke again in 1 s/);
    });

    test('revoke with the access-token header and group_id in the body; an API key with instance_id works too', async () => {
      await settle(1100);
      const answer = await call('POST', `/v2/groups/invite-code/revoke?instance_id=${SESSION}`, { body: { group_id: bare }, headers: { 'access-token': world.accessToken } });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal((await sandboxGroup(world, group)).inviteCode, answer.body.code);

      await settle(1100);
      const byKey = await world.user.request('POST', '/v2/groups/invite-code/revoke', { body: { instance_id: SESSION, group_id: group } });
      assert.equal(byKey.status, 200, JSON.stringify(byKey.body));
      const history = await call('GET', `/v2/groups/${bare}/invite-code/history?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.equal(history.status, 200);
      assert.equal(history.body.currentCode, byKey.body.code);
      assert.deepEqual(history.body.codes.map((c: any) => c.revokedBy?.kind ?? null), ['session_token', 'session_token', 'api_key', null]);
    });

    test('errors come in Wawp shape: wrong token 401, missing instance or group 400', async () => {
      const wrong = await call('GET', `/v2/groups/${bare}/invite-code?instance_id=${SESSION}&access_token=wg_tok_wrong`);
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.body, { status: 401, message: 'Invalid or Missing Access Token', error: 'invalid_access_token' });
      const noInstance = await call('POST', '/v2/groups/invite-code/revoke', { body: { group_id: bare }, headers: { 'access-token': world.accessToken } });
      assert.equal(noInstance.status, 400);
      assert.equal(noInstance.body.message, 'Missing Required Parameter(s)');
      const noGroup = await call('POST', '/v2/groups/invite-code/revoke', { body: { instance_id: SESSION, access_token: world.accessToken } });
      assert.equal(noGroup.status, 400);
      assert.equal(noGroup.body.error, 'missing_parameter');
      assert.match(noGroup.body.message, /^Missing Required Parameter\(s\): the group id is required/);
      const badGroup = await call('GET', `/v2/groups/not-a-group/invite-code?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.deepEqual([badGroup.status, badGroup.body.error], [400, 'invalid_parameter']);
    });

    test('not an admin (demoted on the phone): 403 not_group_admin, nothing changed', async () => {
      await settle(1100);
      await humanActs(world, group, 'demote', { participants: [OUR_PHONE] });
      const code = (await sandboxGroup(world, group)).inviteCode;
      const answer = await call('POST', `/v2/groups/${bare}/invite-code/revoke?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.deepEqual([answer.body.status, answer.body.error, answer.body.code], [403, 'not_group_admin', 5008]);
      assert.equal((await sandboxGroup(world, group)).inviteCode, code);
      const read = await call('GET', `/v2/groups/${bare}/invite-code?instance_id=${SESSION}&access_token=${world.accessToken}`);
      assert.deepEqual([read.status, read.body.error], [403, 'not_group_admin']);
    });
  });
}
