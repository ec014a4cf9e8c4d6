import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVENT_NAMES, eventFilterAllows, isKnownEvent, nameOf, tagOf } from './registry.js';

describe('event registry', () => {
  it('maps dotted names to WARest tags and back', () => {
    assert.equal(tagOf('session.status'), 'session_status');
    assert.equal(tagOf('group.join_request'), 'group_join_request');
    assert.equal(tagOf('call'), 'call');
    assert.equal(nameOf('message_revoked'), 'message.revoked');
    assert.equal(nameOf('message.revoked'), 'message.revoked');
    for (const name of EVENT_NAMES) assert.equal(nameOf(tagOf(name)), name);
    assert.equal(new Set(EVENT_NAMES.map(tagOf)).size, EVENT_NAMES.length);
  });

  it('knows names and tags, and nothing else', () => {
    assert.equal(isKnownEvent('creds.update'), true);
    assert.equal(isKnownEvent('creds_update'), true);
    assert.equal(isKnownEvent('message'), false);
    assert.equal(isKnownEvent('toString'), false);
    assert.equal(nameOf('__proto__'), undefined);
  });

  it('filters with names or tags; null lets everything through, [] nothing', () => {
    assert.equal(eventFilterAllows(null, 'group.update'), true);
    assert.equal(eventFilterAllows([], 'group.update'), false);
    assert.equal(eventFilterAllows(['group_update'], 'group.update'), true);
    assert.equal(eventFilterAllows(['group.update', 'bogus'], 'group.update'), true);
    assert.equal(eventFilterAllows(['group.leave', 'bogus'], 'group.update'), false);
  });
});
