import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError, type AppCodeName } from '../core/errors.js';
import { extractInviteCode, normalizeGroupId, readGroupId, readInviteCode, readSessionSelector } from './params.js';

const failsWith = (code: AppCodeName, message?: RegExp) => (error: unknown) =>
  error instanceof GatewayError && error.code === code && (!message || message.test(error.message));

describe('readSessionSelector', () => {
  it('reads the router keys from the router sources', () => {
    assert.deepEqual(readSessionSelector('groups', { body: { id: 'b' } }), { sessionId: 'b' });
    assert.deepEqual(readSessionSelector('groups', { body: { sessionid: 'lower' } }), { sessionId: 'lower' });
    assert.deepEqual(readSessionSelector('sessions', { query: { id: 'q' } }), { sessionId: 'q' });
    assert.deepEqual(readSessionSelector('sessions', { params: { sessionId: 'p' } }), { sessionId: 'p' });
    assert.deepEqual(readSessionSelector('chats', { query: { id: 'q' }, body: { sessionId: 'q' } }), { sessionId: 'q' });
    assert.deepEqual(readSessionSelector('misc', { body: { sid: 'm' } }), { sessionId: 'm' });
    assert.deepEqual(readSessionSelector('wawp', { body: { id: '120363@g.us', instance_id: 'w' } }), { sessionId: 'w' }, "Wawp's id is the group");
  });

  it('refuses a request that names two sessions, wherever they are', () => {
    const twoSessions = failsWith('INVALID_PARAMETER', /more than one session/);
    assert.throws(() => readSessionSelector('groups', { body: { id: 'b' }, query: { sessionId: 'q' } }), twoSessions);
    assert.throws(() => readSessionSelector('sessions', { query: { instance_id: 'a3' }, body: { sessionId: 'b1' } }), twoSessions);
    assert.throws(() => readSessionSelector('sessions', { query: { instance_id: 'a3' }, params: { sessionId: 'a2' } }), twoSessions);
    assert.throws(() => readSessionSelector('groups', { body: { phone: '111111' }, query: { msisdn: '222222' } }), failsWith('INVALID_PARAMETER', /more than one session phone number/));
  });

  it('refuses lists and objects as selectors', () => {
    assert.throws(() => readSessionSelector('groups', { query: { instance_id: ['a1', 'a1'] } }), failsWith('INVALID_PARAMETER', /instance_id must be a single text value, not a list/));
    assert.throws(() => readSessionSelector('groups', { body: { sessionId: 42 } }), failsWith('INVALID_PARAMETER', /not number/));
    assert.throws(() => readSessionSelector('groups', { body: { phone: ['1', '2'] } }), failsWith('INVALID_PARAMETER'));
  });

  it('keeps the phone keys of the router beside the id (core checks they agree)', () => {
    assert.deepEqual(readSessionSelector('groups', { body: { msisdn: '+62 812-3456' } }), { phone: '628123456' });
    assert.deepEqual(readSessionSelector('groups', { body: { sessionId: 's', phone: 6281 } }), { sessionId: 's', phone: '6281' });
    assert.deepEqual(readSessionSelector('misc', { query: { senderPhone: '4915' } }), { phone: '4915' });
    assert.deepEqual(readSessionSelector('sessions', { body: { phone: '4915' } }), {}, 'phone is the number to pair on the sessions router');
  });

  it('accepts the Wawp instance_id, and leaves an unnamed session to core', () => {
    assert.deepEqual(readSessionSelector('groups', { query: { instance_id: 'w1' } }), { sessionId: 'w1' });
    assert.deepEqual(readSessionSelector('groups', { query: { instance_id: 'w1', sessionId: 'w1' } }), { sessionId: 'w1' }, 'the same session twice is one');
    assert.deepEqual(readSessionSelector('groups', {}), {});
  });

  it('rejects invalid ids with a clear message', () => {
    assert.throws(() => readSessionSelector('groups', { body: { sessionId: 'a b' } }), failsWith('INVALID_PARAMETER', /sessionId "a b" is invalid/));
    assert.throws(() => readSessionSelector('groups', { body: { sessionId: 'x'.repeat(65) } }), failsWith('INVALID_PARAMETER'));
    assert.throws(() => readSessionSelector('sessions', { query: { sessionId: 'a/b' } }), failsWith('SESSION_REQUIRED', /is invalid/));
  });
});

describe('group ids', () => {
  it('adds @g.us to bare ids and keeps @g.us in any case', () => {
    assert.equal(normalizeGroupId('120363012345678901'), '120363012345678901@g.us');
    assert.equal(normalizeGroupId(' 120363012345678901@G.US '), '120363012345678901@g.us');
    assert.equal(normalizeGroupId('6281234-1600000000@g.us'), '6281234-1600000000@g.us');
  });

  it('rejects other suffixes and non-group ids', () => {
    assert.throws(() => normalizeGroupId('6281234@s.whatsapp.net'), failsWith('INVALID_PARAMETER', /^groupId must be a group id ending in @g\.us$/));
    assert.throws(() => normalizeGroupId('abc'), failsWith('INVALID_PARAMETER', /not a group id/));
  });

  it('reads groupId, gid or group', () => {
    assert.equal(readGroupId({ query: { gid: '1' } }), '1@g.us');
    assert.equal(readGroupId({ body: { group: '2' }, query: { groupId: '3' } }), '2@g.us');
    assert.throws(() => readGroupId({}), failsWith('MISSING_PARAMETER', /groupId is required/));
  });
});

describe('invite codes', () => {
  it('extracts the code from a link or a bare code', () => {
    assert.equal(extractInviteCode('https://chat.whatsapp.com/AbCdEf0123456789xy'), 'AbCdEf0123456789xy');
    assert.equal(extractInviteCode('chat.whatsapp.com/AbCdEf0123'), 'AbCdEf0123');
    assert.equal(extractInviteCode('AbCdEf0123456789xy'), 'AbCdEf0123456789xy');
    assert.equal(extractInviteCode('short'), undefined);
  });

  it('reads inviteLink, link or code', () => {
    assert.equal(readInviteCode({ body: { link: 'https://chat.whatsapp.com/AbCdEf0123' } }), 'AbCdEf0123');
    assert.equal(readInviteCode({ query: { code: 'AbCdEf0123' } }), 'AbCdEf0123');
    assert.throws(() => readInviteCode({ body: { inviteLink: 'https://x.y/z' } }), failsWith('MISSING_PARAMETER', /inviteLink is required/));
  });
});
