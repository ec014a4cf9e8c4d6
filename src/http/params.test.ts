import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError, type AppCodeName } from '../core/errors.js';
import { extractInviteCode, normalizeGroupId, readGroupId, readInviteCode, selectSession } from './params.js';

const failsWith = (code: AppCodeName, message?: RegExp) => (error: unknown) =>
  error instanceof GatewayError && error.code === code && (!message || message.test(error.message));

describe('selectSession', () => {
  it('reads the router keys in order from the router sources', () => {
    assert.deepEqual(selectSession('groups', { body: { id: 'b' }, query: { sessionId: 'q' } }), { by: 'id', sessionId: 'b' });
    assert.deepEqual(selectSession('groups', { body: { session: 's', sessionid: 'lower' } }), { by: 'id', sessionId: 'lower' });
    assert.deepEqual(selectSession('sessions', { body: { sessionId: 'b' }, query: { id: 'q' } }), { by: 'id', sessionId: 'q' });
    assert.deepEqual(selectSession('sessions', { params: { sessionId: 'p' } }), { by: 'id', sessionId: 'p' });
    assert.deepEqual(selectSession('chats', { query: { id: 'q' }, body: { sessionId: 'b' } }), { by: 'id', sessionId: 'q' });
    assert.deepEqual(selectSession('misc', { body: { sid: 'm' } }), { by: 'id', sessionId: 'm' });
  });

  it('accepts strings only', () => {
    assert.deepEqual(selectSession('groups', { body: { sessionId: 42 }, query: { sessionId: 'q' } }), { by: 'id', sessionId: 'q' });
  });

  it('falls back to the phone keys of the router', () => {
    assert.deepEqual(selectSession('groups', { body: { msisdn: '+62 812-3456' } }), { by: 'phone', phone: '628123456' });
    assert.deepEqual(selectSession('misc', { query: { senderPhone: '4915' } }), { by: 'phone', phone: '4915' });
    assert.throws(() => selectSession('sessions', { body: { phone: '4915' } }), failsWith('SESSION_REQUIRED'));
  });

  it('accepts the Wawp instance_id, and a session principal implies its session', () => {
    assert.deepEqual(selectSession('groups', { query: { instance_id: 'w1' } }), { by: 'id', sessionId: 'w1' });
    assert.deepEqual(selectSession('groups', {}, { kind: 'session', sessionId: 't1' }), { by: 'id', sessionId: 't1' });
  });

  it('rejects invalid ids and missing sessions with a clear message', () => {
    assert.throws(() => selectSession('groups', { body: { sessionId: 'a b' } }), failsWith('INVALID_PARAMETER', /sessionId "a b" is invalid/));
    assert.throws(() => selectSession('groups', { body: { sessionId: 'x'.repeat(65) } }), failsWith('INVALID_PARAMETER'));
    assert.throws(() => selectSession('sessions', { query: { sessionId: 'a/b' } }), failsWith('SESSION_REQUIRED', /is invalid/));
    assert.throws(() => selectSession('groups', {}), failsWith('SESSION_REQUIRED', /sessionId is required/));
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
