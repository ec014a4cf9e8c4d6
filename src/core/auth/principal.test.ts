import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../errors.js';
import { ownerOf, requireSessionAccess } from './principal.js';

describe('requireSessionAccess', () => {
  const session = { id: 's1', owner: 'alice' };
  const forbidden = (error: unknown) => error instanceof GatewayError && error.code === 'FORBIDDEN' && error.message === 'Forbidden';

  it('lets the admin reach every session (a Waygate improvement over WARest)', () => {
    requireSessionAccess({ kind: 'admin' }, session);
  });

  it('lets a user reach only the sessions it owns', () => {
    requireSessionAccess({ kind: 'user', username: 'alice', keyId: 'k1' }, session);
    assert.throws(() => requireSessionAccess({ kind: 'user', username: 'bob' }, session), forbidden);
    assert.throws(() => requireSessionAccess({ kind: 'user', username: 'alice' }, { id: 's2', owner: null }), forbidden);
  });

  it('lets a session token reach only its session', () => {
    requireSessionAccess({ kind: 'session', sessionId: 's1' }, session);
    assert.throws(
      () => requireSessionAccess({ kind: 'session', sessionId: 's2' }, session),
      (error: unknown) => error instanceof GatewayError && error.code === 'FORBIDDEN' && /valid for session "s2" only/.test(error.message),
    );
  });

  it('can hide a foreign session as not found (misc routes)', () => {
    assert.throws(
      () => requireSessionAccess({ kind: 'user', username: 'bob' }, session, { hideForeign: true }),
      (error: unknown) => error instanceof GatewayError && error.code === 'SESSION_NOT_FOUND',
    );
  });

  it('derives ownership from the user name, else the key id', () => {
    assert.equal(ownerOf({ kind: 'user', username: 'alice', keyId: 'k' }), 'alice');
    assert.equal(ownerOf({ kind: 'user', keyId: 'k' }), 'k');
    assert.equal(ownerOf({ kind: 'session', sessionId: 's' }), null);
  });
});
