import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineRemoteError, EngineTimeoutError } from '../engine/errors.js';
import { GatewayError } from './errors.js';
import { refusalFor, refusing, type RefusalAction } from './whatsapp-refusals.js';

const GROUP = '120363001@g.us';
const refused = (code: number, text = 'x') => new EngineRemoteError(code, text, 'test');
const meaning = (code: number, action: RefusalAction) => refusalFor(refused(code), action)?.code;

describe("WhatsApp's refusals", () => {
  it('reading metadata: 401 and 403 mean not a member, 404 no such group', () => {
    const action = { kind: 'group-read', groupId: GROUP } as const;
    assert.deepEqual([401, 403, 404, 500].map((code) => meaning(code, action)), ['GROUP_NOT_MEMBER', 'GROUP_NOT_MEMBER', 'GROUP_NOT_FOUND', undefined]);
  });

  it('changing a group: 401 means not an admin, 403 not a member, 404 no such group', () => {
    const action = { kind: 'group-change', groupId: GROUP, verb: 'change the group name' } as const;
    assert.deepEqual([401, 403, 404].map((code) => meaning(code, action)), ['GROUP_NOT_ADMIN', 'GROUP_NOT_MEMBER', 'GROUP_NOT_FOUND']);
    assert.match(refusalFor(refused(401), action)!.message, /^Cannot change the group name: this session's number is not an admin of group 120363001@g\.us$/);
  });

  it('invite codes of a group: 401 and 403 both mean we are no longer an admin, and say nothing changed', () => {
    const action = { kind: 'invite-admin', groupId: GROUP } as const;
    assert.deepEqual([401, 403, 404].map((code) => meaning(code, action)), ['GROUP_NOT_ADMIN', 'GROUP_NOT_ADMIN', 'GROUP_NOT_FOUND']);
    assert.match(refusalFor(refused(403), action)!.message, /nothing was changed/);
  });

  it('joining by code: 404/406 no such link, 409 already a member, 410 revoked', () => {
    const action = { kind: 'invite-code', code: 'AbCdEf0123' } as const;
    assert.deepEqual([404, 406, 409, 410, 401].map((code) => meaning(code, action)), ['NOT_FOUND', 'NOT_FOUND', 'CONFLICT', 'NOT_FOUND', undefined]);
    assert.match(refusalFor(refused(410), action)!.message, /https:\/\/chat\.whatsapp\.com\/AbCdEf0123 was revoked/);
  });

  it('keeps the engine error as the cause, and lets anything that is not a refusal through', async () => {
    const cause = refused(404);
    assert.equal(refusalFor(cause, { kind: 'group-read', groupId: GROUP })!.cause, cause);
    assert.equal(refusalFor(new EngineTimeoutError('x', 1), { kind: 'group-read', groupId: GROUP }), undefined);
    const timeout = new EngineTimeoutError('x', 1);
    await assert.rejects(refusing({ kind: 'group-read', groupId: GROUP }, () => Promise.reject(timeout)), (err) => err === timeout);
    await assert.rejects(refusing({ kind: 'group-read', groupId: GROUP }, () => Promise.reject(refused(404))), (err) => err instanceof GatewayError && err.code === 'GROUP_NOT_FOUND');
    assert.equal(await refusing({ kind: 'group-read', groupId: GROUP }, async () => 'ok'), 'ok');
  });
});
