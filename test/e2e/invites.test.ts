// Revoke Invite Link end to end against the sandbox, on SQLite and PostgreSQL: a stranger's link dies with the
// revoke and the new one works, the lineage shows every code and who joined through which, a human's revoke on
// the phone arrives as lineage and one signed group_update, the chatter guard (429 + Retry-After, admin force),
// and a demoted number gets 403 with nothing changed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, eventually, hookTo } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { HUMAN_ADMIN, OUR_PHONE, SESSION, adminGroup, history, historyWhere, humanActs, joinWith, revoke, sandboxGroup, settle, startInviteWorld, stranger, type InviteWorld } from './invites-fixture.js';

const jidOf = (phone: string) => `${phone}@s.whatsapp.net`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: revoke invite link`, () => {
    let world: InviteWorld;
    let group: string;
    const receiver = new WebhookReceiver('invite-hook-secret');
    before(async () => {
      await receiver.start();
      world = await startInviteWorld(dialect, { WAYGATE_INVITE_MIN_INTERVAL: '30' });
      await hookTo(world.user, SESSION, receiver);
      group = await adminGroup(world, 'Launch VIPs');
    });
    after(async () => {
      await world.close();
      await receiver.stop();
    });

    test('a revoked link stops working, the new one works, and the history ties each join to its code', async () => {
      const first = (await sandboxGroup(world, group)).inviteCode;
      const early = await stranger(world, '15557771001');
      assert.equal((await joinWith(world, group, early, first)).body.status, 'joined');
      await historyWhere(world, group, (h) => h.codes[0]?.joins.length === 1, 'the first join recorded');

      const answer = await revoke(world.user, group);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 1000);
      assert.equal(answer.body.message, 'Invite link revoked');
      const result = answer.body.results[0];
      assert.equal(result.sessionId, SESSION);
      assert.equal(result.groupId, group);
      assert.equal(result.phone, OUR_PHONE);
      assert.equal(result.status, 'success revoke invite link');
      assert.equal(result.previousCode, first);
      assert.notEqual(result.code, first);
      assert.equal(result.inviteLink, `https://chat.whatsapp.com/${result.code}`);
      const state = await sandboxGroup(world, group);
      assert.equal(state.inviteCode, result.code);
      assert.ok(state.revokedCodes.includes(first));

      const late = await stranger(world, '15557771002');
      const refused = await joinWith(world, group, late, first);
      assert.equal(refused.status, 410, 'the old code is gone');
      assert.equal((await joinWith(world, group, late, result.code)).body.status, 'joined');

      const h = await historyWhere(world, group, (x) => x.codes[1]?.joins.length === 1, 'the second join recorded');
      assert.equal(h.currentCode, result.code);
      assert.deepEqual(h.codes.map((c: any) => [c.code, c.seenVia]), [[first, 'initial'], [result.code, 'api']]);
      assert.deepEqual(h.codes[0].revokedBy, { kind: 'api_key', id: (await keyId(world)), name: 'community-team' });
      assert.ok(Date.parse(h.codes[0].revokedAt) > 0);
      assert.equal(h.codes[1].revokedAt, null);
      assert.deepEqual(h.codes[0].joins.map((j: any) => [j.jid, j.method]), [[jidOf(early), 'link']]);
      assert.deepEqual(h.codes[1].joins.map((j: any) => [j.jid, j.method]), [[jidOf(late), 'link']]);
      assert.deepEqual(h.unattributedJoins, []);

      const events = await eventually(() => {
        const found = receiver.events('group_update').filter((d) => d.body.data.changes?.inviteCode === result.code);
        return found.length ? found : undefined;
      }, { what: 'group_update for the API revoke' });
      const data = events[0]!.body.data;
      assert.equal(events[0]!.signatureValid, true);
      assert.deepEqual(data.changes, { inviteCode: result.code, previousCode: first });
      assert.deepEqual(data.update, { id: group, inviteCode: result.code, author: jidOf(OUR_PHONE) });
      assert.equal(data.revokedBy.kind, 'api_key');
    });

    test('reading the link (GET /group/invite) records the code in the lineage', async () => {
      const fresh = await adminGroup(world, 'Read first');
      assert.deepEqual((await history(world, fresh)).codes, [], 'nothing known before the read');
      const read = await world.user.request('GET', `/api/v1/group/invite?sessionId=${SESSION}&groupId=${encodeURIComponent(fresh)}`);
      assert.equal(read.status, 200, JSON.stringify(read.body));
      const { code } = read.body.results[0];
      assert.equal(code, (await sandboxGroup(world, fresh)).inviteCode);
      const h = await history(world, fresh);
      assert.equal(h.currentCode, code);
      assert.deepEqual(h.codes.map((c: any) => [c.code, c.seenVia]), [[code, 'initial']]);
    });

    test('a human admin revoking on the phone shows in the history and as one signed group_update', async () => {
      const before = (await history(world, group)).currentCode;
      const { code } = await humanActs(world, group, 'revoke_invite');
      const h = await historyWhere(world, group, (x) => x.currentCode === code, 'the phone revoke recorded');
      const ended = h.codes.find((c: any) => c.code === before);
      const human = await world.sb.ok('GET', `/sandbox/v1/accounts/${HUMAN_ADMIN}`);
      assert.equal(ended.revokedBy.kind, 'phone');
      // The group addresses members by LID; the engine reports the PN when it knows it.
      assert.ok([human.jid, human.lid].includes(ended.revokedBy.jid), JSON.stringify(ended.revokedBy));
      assert.equal(h.codes.at(-1).seenVia, 'phone');

      const delivery = await eventually(() => receiver.events('group_update').find((d) => d.body.data.changes?.inviteCode === code), { what: 'group_update for the phone revoke' });
      assert.equal(delivery.signatureValid, true);
      assert.equal(delivery.headers['x-warest-event'], 'group_update');
      assert.deepEqual(delivery.body.data.changes, { inviteCode: code, previousCode: before });
      assert.ok([human.jid, human.lid].includes(delivery.body.data.author.jid));
      assert.equal(delivery.body.data.revokedBy.kind, 'phone');

      // Our own revoke came back from WhatsApp as a notification too; it must not have become a second event.
      await settle(300);
      const perCode = new Map<string, number>();
      for (const d of receiver.events('group_update')) perCode.set(d.body.data.changes.inviteCode, (perCode.get(d.body.data.changes.inviteCode) ?? 0) + 1);
      assert.deepEqual([...perCode.values()], [1, 1]);
    });

    test('two revokes in a row: 429 with Retry-After; a user key may not force; the admin key may', async () => {
      const guarded = await adminGroup(world, 'Guarded');
      assert.equal((await revoke(world.user, guarded)).status, 200);
      const tooSoon = await revoke(world.user, guarded);
      assert.equal(tooSoon.status, 429);
      assert.equal(tooSoon.body.code, 5011);
      assert.match(tooSoon.body.message, /revoke again in \d+ s/);
      const retryAfter = Number(tooSoon.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);

      const userForce = await revoke(world.user, guarded, { force: true });
      assert.equal(userForce.status, 403);
      assert.match(userForce.body.message, /Only the admin key may force/);
      const adminForce = await revoke(world.gw, guarded, { force: true });
      assert.equal(adminForce.status, 200, JSON.stringify(adminForce.body));
      assert.equal((await sandboxGroup(world, guarded)).inviteCode, adminForce.body.results[0].code);
      assert.equal((await history(world, guarded)).codes.length, 3);
    });

    test('the guard holds across a restart (it reads the lineage)', async () => {
      await world.gw.restart();
      world.user.url = world.gw.url;
      await eventually(async () => ((await world.user.request('GET', '/api/v1/session/list')).body.results[0].items[0]?.status === 'WORKING' ? true : undefined), { what: 'resumed' });
      const again = await revoke(world.user, group);
      assert.equal(again.status, 429, JSON.stringify(again.body));
    });

    test('bad input is a 400 that says what to send', async () => {
      const noGroup = await world.user.request('POST', '/api/v1/group/invite/revoke', { body: { sessionId: SESSION } });
      assert.equal(noGroup.status, 400);
      assert.equal(noGroup.body.code, 2001);
      assert.match(noGroup.body.message, /groupId is required/);
      const badGroup = await revoke(world.user, '123@s.whatsapp.net');
      assert.equal(badGroup.status, 400);
      const noSession = await world.user.request('POST', '/api/v1/group/invite/revoke', { body: { groupId: group } });
      assert.equal(noSession.status, 400);
      assert.equal(noSession.body.code, 1100);
    });

    test('demoted on the phone: the next revoke is 403 GROUP_NOT_ADMIN and nothing changes', async () => {
      const demoted = await adminGroup(world, 'Soon not ours');
      const code = (await sandboxGroup(world, demoted)).inviteCode;
      await humanActs(world, demoted, 'demote', { participants: [OUR_PHONE] });
      const answer = await revoke(world.gw, demoted, { force: true });
      assert.equal(answer.status, 403, JSON.stringify(answer.body));
      assert.equal(answer.body.code, 5008);
      assert.match(answer.body.message, /not an admin/);
      const state = await sandboxGroup(world, demoted);
      assert.equal(state.inviteCode, code);
      assert.deepEqual(state.revokedCodes, []);
      assert.deepEqual((await history(world, demoted)).codes, []);
    });
  });
}

async function keyId(world: InviteWorld): Promise<string> {
  const keys = await world.gw.request('GET', '/api/v1/keys');
  return keys.body.results.find((k: { name: string }) => k.name === 'community-team').id;
}
