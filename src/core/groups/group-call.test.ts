// Running a command on a group: WhatsApp not answering in time. A change may or may not have been applied, so
// the answer says so (504 DOWNSTREAM_TIMEOUT, outcome "unknown") and the cached metadata is dropped; a read that
// times out changed nothing. Refusals keep their meaning (whatsapp-refusals.test.ts has the table).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineRemoteError, EngineTimeoutError } from '../../engine/errors.js';
import { GatewayError } from '../errors.js';
import { groupCall, refusingInGroup } from './group-call.js';
import type { GroupContext } from './group-context.js';

const GROUP = '120363000000000001@g.us';

function context() {
  const invalidated: string[] = [];
  const ctx = {
    groupId: GROUP,
    metadata: { get: async () => assert.fail('not read'), list: async () => [], invalidate: (groupId: string) => void invalidated.push(groupId) },
  } as unknown as GroupContext;
  return { ctx, invalidated };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof GatewayError, `a GatewayError, got ${String(err)}`);
    return err;
  }
  return assert.fail('the call should fail');
}

const timeout = (operation: string) => async () => {
  throw new EngineTimeoutError(operation, 20_000);
};

describe('a group call WhatsApp does not answer in time', () => {
  it('a change: 504 DOWNSTREAM_TIMEOUT saying the outcome is unknown, and the cached metadata is dropped', async () => {
    const { ctx, invalidated } = context();
    const err = await failure(groupCall(ctx, 'change the group name', timeout('groups.updateSubject')));
    assert.equal(err.code, 'DOWNSTREAM_TIMEOUT');
    assert.equal(err.status, 504);
    assert.match(err.message, /did not answer in time \(change the group name, group 120363000000000001@g\.us, 20000 ms\)/);
    assert.match(err.message, /may or may not have been applied — read the group to check/);
    assert.deepEqual(err.details, { groupId: GROUP, operation: 'groups.updateSubject', timeoutMs: 20_000, outcome: 'unknown' });
    assert.ok(err.cause instanceof EngineTimeoutError);
    assert.deepEqual(invalidated, [GROUP]);
  });

  it('every change verb the group commands use counts as a change', async () => {
    for (const [verb, operation] of [
      ['add the participants', 'groups.participants.add'],
      ['remove the members', 'groups.participants.remove'],
      ['leave the group', 'groups.leave'],
      ['change the group picture', 'groups.setPicture'],
      ['turn on announcement mode', 'groups.setting'],
    ] as const) {
      const { ctx, invalidated } = context();
      const err = await failure(groupCall(ctx, verb, timeout(operation)));
      assert.equal((err.details as { outcome: string }).outcome, 'unknown', verb);
      assert.deepEqual(invalidated, [GROUP], verb);
    }
  });

  it('a revoke through refusingInGroup (invite codes) is a change; reading the code is not', async () => {
    const revoke = context();
    const revoked = await failure(refusingInGroup(revoke.ctx, { kind: 'invite-admin', groupId: GROUP }, timeout('groups.revokeInvite')));
    assert.match(revoked.message, /groups\.revokeInvite.*may or may not have been applied/);
    assert.deepEqual(revoke.invalidated, [GROUP]);
    const read = context();
    const code = await failure(refusingInGroup(read.ctx, { kind: 'invite-admin', groupId: GROUP }, timeout('groups.inviteCode')));
    assert.equal(code.code, 'DOWNSTREAM_TIMEOUT');
    assert.match(code.message, /nothing was changed, retry/);
    assert.equal((code.details as { outcome: string }).outcome, 'unchanged');
  });

  it('a read (by verb or by engine operation): 504 saying nothing was changed', async () => {
    for (const [verb, operation] of [['list join requests', 'groups.joinRequests'], ['get the group picture', 'profilePictureUrl'], ['get the group picture', 'x.y']] as const) {
      const { ctx, invalidated } = context();
      const err = await failure(groupCall(ctx, verb, timeout(operation)));
      assert.equal(err.code, 'DOWNSTREAM_TIMEOUT');
      assert.match(err.message, /nothing was changed, retry$/);
      assert.doesNotMatch(err.message, /may or may not/);
      assert.deepEqual(invalidated, [GROUP]);
    }
  });

  it('refusals and other failures are unchanged', async () => {
    const refused = context();
    const err = await failure(groupCall(refused.ctx, 'change the group name', async () => {
      throw new EngineRemoteError(401, 'not-authorized', 'groups.updateSubject');
    }));
    assert.equal(err.code, 'GROUP_NOT_ADMIN');
    assert.deepEqual(refused.invalidated, [GROUP]);
    const other = context();
    const boom = new Error('boom');
    await assert.rejects(groupCall(other.ctx, 'change the group name', async () => { throw boom; }), (e) => e === boom);
    assert.deepEqual(other.invalidated, []);
    const ok = context();
    assert.equal(await groupCall(ok.ctx, 'change the group name', async () => 42), 42);
    assert.deepEqual(ok.invalidated, []);
  });
});
