// Invite policies end to end against the sandbox, on SQLite and PostgreSQL: the flood breaker (revoke, approval
// on, event), the one-time link (one revoke per code even when two join at once; retried when WhatsApp fails it),
// a scheduled revoke that fires
// once across a restart and after downtime, and only where its session runs, a policy that disables itself when our number is demoted, and 400s.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, eventually, hookTo } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { OUR_PHONE, SESSION, adminGroup, history, historyWhere, humanActs, joinWith, sandboxGroup, setPolicy, settle, startInviteWorld, stranger, type InviteWorld } from './invites-fixture.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: invite policies`, () => {
    let world: InviteWorld;
    const receiver = new WebhookReceiver('policy-hook-secret');
    const policyEvents = (groupId: string) => receiver.events('group_invite_policy').filter((d) => d.body.data.groupId === groupId);
    const revokedCount = async (groupId: string, count: number, what: string) =>
      eventually(async () => ((await sandboxGroup(world, groupId)).revokedCodes.length === count ? true : undefined), { what });

    before(async () => {
      await receiver.start();
      world = await startInviteWorld(dialect);
      await hookTo(world.user, SESSION, receiver);
    });
    after(async () => {
      await world.close();
      await receiver.stop();
    });

    test('a flood of strangers trips the breaker: link revoked, join approval on, an event', async () => {
      const group = await adminGroup(world, 'Leaked link');
      const saved = await setPolicy(world.user, group, { floodBreaker: { maxJoins: 2, windowSeconds: 60, enableApproval: true } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.deepEqual(saved.body.results[0].floodBreaker, { maxJoins: 2, windowSeconds: 60, enableApproval: true });
      const leaked = (await sandboxGroup(world, group)).inviteCode;
      for (const phone of ['15557772001', '15557772002', '15557772003']) {
        assert.equal((await joinWith(world, group, await stranger(world, phone), leaked)).body.status, 'joined');
      }
      await revokedCount(group, 1, 'the breaker revoke');
      const state = await eventually(async () => {
        const s = await sandboxGroup(world, group);
        return s.settings.joinApproval ? s : undefined;
      }, { what: 'join approval on' });
      const event = await eventually(() => policyEvents(group)[0], { what: 'group_invite_policy fired' });
      assert.equal(event.signatureValid, true);
      assert.deepEqual(
        [event.body.data.policy, event.body.data.status, event.body.data.previousCode, event.body.data.code, event.body.data.joins, event.body.data.approvalEnabled],
        ['flood_breaker', 'fired', leaked, state.inviteCode, 3, true]
      );

      const late = await stranger(world, '15557772004');
      assert.equal((await joinWith(world, group, late, leaked)).status, 410);
      assert.equal((await joinWith(world, group, late, state.inviteCode)).body.status, 'pending', 'approval is on');
      const h = await history(world, group);
      assert.deepEqual(h.codes[0].revokedBy, { kind: 'policy', id: 'flood_breaker' });
      assert.equal(h.codes[0].joins.length, 3);
      await settle(300);
      assert.equal((await sandboxGroup(world, group)).revokedCodes.length, 1, 'tripped once');
    });

    test('one-time link: each join through it revokes it, once per code even when two join at once', async () => {
      const group = await adminGroup(world, 'Whistleblowers');
      assert.equal((await setPolicy(world.user, group, { oneTime: true })).status, 200);
      const first = (await sandboxGroup(world, group)).inviteCode;
      assert.equal((await joinWith(world, group, await stranger(world, '15557773001'), first)).body.status, 'joined');
      await revokedCount(group, 1, 'revoked after the first join');
      const second = (await sandboxGroup(world, group)).inviteCode;
      assert.equal((await joinWith(world, group, await stranger(world, '15557773002'), first)).status, 410);

      const [a, b] = await Promise.all([stranger(world, '15557773003'), stranger(world, '15557773004')]);
      const both = await Promise.all([joinWith(world, group, a, second), joinWith(world, group, b, second)]);
      assert.deepEqual(both.map((j) => j.body.status), ['joined', 'joined']);
      await revokedCount(group, 2, 'revoked after the pair joined');
      await settle(500);
      assert.equal((await sandboxGroup(world, group)).revokedCodes.length, 2, 'the second join through the same code did not revoke again');
      const h = await historyWhere(world, group, (x) => x.codes[1]?.joins.length === 2, 'both joins recorded');
      assert.deepEqual(h.codes.map((c: any) => c.revokedBy?.id ?? null), ['one_time', 'one_time', null]);
      assert.equal(policyEvents(group).filter((d) => d.body.data.status === 'fired').length, 2);
    });

    test('one-time link: a revoke WhatsApp fails is retried until the link is dead', async () => {
      const group = await adminGroup(world, 'Retry me');
      assert.equal((await setPolicy(world.user, group, { oneTime: true })).status, 200);
      const code = (await sandboxGroup(world, group)).inviteCode;
      await world.sb.ok('POST', '/sandbox/v1/faults', { type: 'fail-query', query: 'w:g2:invite', count: 2 });
      assert.equal((await joinWith(world, group, await stranger(world, '15557773101'), code)).body.status, 'joined');
      await revokedCount(group, 1, 'revoked on the third attempt');
      assert.ok((await sandboxGroup(world, group)).revokedCodes.includes(code));
      const h = await historyWhere(world, group, (x) => x.codes.length === 2, 'the new code in the lineage');
      assert.deepEqual(h.codes[0].revokedBy, { kind: 'policy', id: 'one_time' });
    });

    test('a scheduled revoke survives the gateway being down (fires once on start) and a restart (re-armed)', async () => {
      const missed = await adminGroup(world, 'Black Friday');
      const later = await adminGroup(world, 'Cyber Monday');
      assert.equal((await setPolicy(world.user, missed, { revokeAt: new Date(Date.now() + 1500).toISOString() })).status, 200);
      assert.equal((await setPolicy(world.user, later, { revokeAt: new Date(Date.now() + 6000).toISOString() })).status, 200);
      await world.gw.stop();
      await settle(2500);
      assert.equal((await sandboxGroup(world, missed)).revokedCodes.length, 0, 'nothing fires while the gateway is down');
      await world.gw.boot();
      world.user.url = world.gw.url;
      await revokedCount(missed, 1, 'the missed schedule');
      assert.equal((await sandboxGroup(world, later)).revokedCodes.length, 0, 'not due yet');
      await revokedCount(later, 1, 'the re-armed schedule');
      await settle(1500);
      assert.equal((await sandboxGroup(world, missed)).revokedCodes.length, 1, 'fired once');
      assert.equal((await sandboxGroup(world, later)).revokedCodes.length, 1, 'fired once');

      const policy = await world.user.request('GET', `/api/v1/group/invite/policy?sessionId=${SESSION}&groupId=${encodeURIComponent(missed)}`);
      assert.equal(policy.status, 200);
      assert.deepEqual([policy.body.results[0].revokeAt, policy.body.results[0].lastFiredRule, policy.body.results[0].status], [null, 'revoke_at', 'active']);
      assert.deepEqual((await history(world, missed)).codes[0].revokedBy, { kind: 'policy', id: 'revoke_at' });
    });

    test('policies run where their session runs: a session this node stopped running fires nothing, then fires once when it runs again', async () => {
      const group = await adminGroup(world, 'Node handover');
      assert.equal((await setPolicy(world.user, group, { revokeAt: new Date(Date.now() + 1000).toISOString() })).status, 200);
      await world.gw.sessions.stop(SESSION, { remember: true });
      await settle(2000);
      assert.equal((await sandboxGroup(world, group)).revokedCodes.length, 0, 'nothing fires for a session this node does not run');
      await world.gw.sessions.start(SESSION);
      await revokedCount(group, 1, 'the schedule once the session runs here again');
      await settle(1500);
      assert.equal((await sandboxGroup(world, group)).revokedCodes.length, 1, 'fired once');
      assert.deepEqual((await history(world, group)).codes[0].revokedBy, { kind: 'policy', id: 'revoke_at' });
    });

    test('a policy that can no longer act disables itself, says why, and emits the event', async () => {
      const group = await adminGroup(world, 'Handed over');
      assert.equal((await setPolicy(world.user, group, { revokeAt: new Date(Date.now() + 1500).toISOString(), oneTime: true })).status, 200);
      const code = (await sandboxGroup(world, group)).inviteCode;
      await humanActs(world, group, 'demote', { participants: [OUR_PHONE] });
      const event = await eventually(() => policyEvents(group).find((d) => d.body.data.status === 'disabled'), { what: 'disabled event' });
      assert.equal(event.body.data.policy, 'revoke_at');
      assert.match(event.body.data.reason, /not an admin/);
      const policy = await world.user.request('GET', `/api/v1/group/invite/policy?sessionId=${SESSION}&groupId=${encodeURIComponent(group)}`);
      assert.equal(policy.body.results[0].status, 'disabled');
      assert.match(policy.body.results[0].reason, /revoke_at could not act: .*not an admin/);
      assert.equal((await sandboxGroup(world, group)).inviteCode, code, 'nothing changed');

      const again = await setPolicy(world.user, group, { oneTime: true });
      assert.equal(again.status, 403, 'saving needs admin rights too');
      assert.equal(again.body.code, 5008);
    });

    test('policy input is validated with clear 4xx answers; DELETE removes it', async () => {
      const group = await adminGroup(world, 'Validated');
      const cases: [Record<string, unknown>, number, number, RegExp][] = [
        [{ rotateEvery: 10 }, 400, 2002, /rotateEvery must be >= 60/],
        [{ revokeAt: '2001-01-01T00:00:00Z' }, 400, 2002, /in the past/],
        [{ revokeAt: 'tomorrow' }, 400, 2002, /revokeAt/],
        [{ floodBreaker: { maxJoins: 3 } }, 400, 2001, /windowSeconds is required/],
        [{ rotate_every: 120 }, 400, 2002, /body\/rotate_every is not an accepted field/],
        [{ floodBreaker: { maxJoins: 3, windowSeconds: 9, approval: true } }, 400, 2002, /body\/floodBreaker\/approval is not an accepted field/],
        [{}, 400, 2001, /Set at least one rule/],
      ];
      for (const [input, status, code, message] of cases) {
        const answer = await setPolicy(world.user, group, input);
        assert.equal(answer.status, status, `${JSON.stringify(input)} → ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
        assert.match(answer.body.message, message);
      }
      const target = `sessionId=${SESSION}&groupId=${encodeURIComponent(group)}`;
      assert.equal((await world.user.request('GET', `/api/v1/group/invite/policy?${target}`)).status, 404);
      const saved = await setPolicy(world.user, group, { rotateEvery: 3600 });
      assert.equal(saved.body.results[0].rotateEvery, 3600);
      assert.ok(Date.parse(saved.body.results[0].nextRotateAt) > Date.now() + 3_500_000);
      const merged = await setPolicy(world.user, group, { oneTime: true });
      assert.deepEqual([merged.body.results[0].rotateEvery, merged.body.results[0].oneTime], [3600, true], 'fields left out keep their value');
      const deleted = await world.user.request('DELETE', '/api/v1/group/invite/policy', { body: { sessionId: SESSION, groupId: group } });
      assert.equal(deleted.status, 200);
      assert.equal((await world.user.request('GET', `/api/v1/group/invite/policy?${target}`)).status, 404);
      assert.equal((await world.user.request('DELETE', '/api/v1/group/invite/policy', { body: { sessionId: SESSION, groupId: group } })).status, 404);
    });
  });
}
