import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_CODES, appCode, fail, GatewayError, isGatewayError } from './errors.js';

describe('app code catalogue', () => {
  it('holds the 122 WARest codes plus the Waygate additions', () => {
    assert.equal(APP_CODES.filter((c) => c.origin === 'warest').length, 122);
    assert.deepEqual(
      APP_CODES.filter((c) => c.origin === 'waygate').map((c) => [c.code, c.name, c.status]),
      [[5011, 'INVITE_REVOKE_TOO_SOON', 429], [5012, 'GROUP_NOT_MEMBER', 404]],
    );
  });

  it('has unique codes and names, sorted by code', () => {
    assert.equal(new Set(APP_CODES.map((c) => c.code)).size, APP_CODES.length);
    assert.equal(new Set(APP_CODES.map((c) => c.name)).size, APP_CODES.length);
    assert.deepEqual(APP_CODES.map((c) => c.code), [...APP_CODES.map((c) => c.code)].sort((a, b) => a - b));
  });

  it('gives every code a valid HTTP status and a non-empty message', () => {
    for (const c of APP_CODES) {
      assert.ok(c.status >= 200 && c.status <= 599, `${c.name} status ${c.status}`);
      assert.ok(c.message.length > 0, c.name);
    }
  });

  it('keeps the status class consistent with the category', () => {
    const expectations: Record<string, (status: number) => boolean> = {
      success: (s) => s >= 200 && s < 300,
      validation: (s) => s >= 400 && s < 500,
      auth: (s) => s === 401 || s === 403,
      throttle: (s) => s === 429,
      lookup: (s) => s === 404,
      network: (s) => s >= 500,
    };
    for (const c of APP_CODES) {
      const check = expectations[c.category];
      if (check) assert.ok(check(c.status), `${c.name} (${c.category}) has status ${c.status}`);
    }
  });

  it('matches rows of the WARest table', () => {
    const rows: [string, number, number, boolean][] = [
      ['SUCCESS', 1000, 200, false],
      ['SESSION_NOT_LOGGED_IN', 1106, 409, true],
      ['SSE_CLIENT_DISCONNECTED', 1601, 499, true],
      ['MALFORMED_JSON', 2008, 400, false],
      ['FORBIDDEN', 2201, 403, false],
      ['GROUP_NOT_ADMIN', 5008, 403, false],
      ['NOT_IMPLEMENTED', 8005, 501, false],
      ['FEATURE_FLAG_DISABLED', 8006, 403, false],
    ];
    for (const [name, code, status, retryable] of rows) {
      const entry = appCode(name as Parameters<typeof appCode>[0]);
      assert.deepEqual([entry.code, entry.status, entry.retryable], [code, status, retryable], name);
    }
    assert.equal(appCode('SESSION_BUSY').category, 'session');
    assert.equal(appCode('GROUP_NOT_MEMBER').category, 'group');
  });
});

describe('GatewayError', () => {
  it('carries the code, its number and status, details and retry hint', () => {
    const error = new GatewayError('INVITE_REVOKE_TOO_SOON', 'wait 42 s', { details: { groupId: 'g' }, retryAfterSeconds: 42 });
    assert.equal(error.code, 'INVITE_REVOKE_TOO_SOON');
    assert.equal(error.appCode, 5011);
    assert.equal(error.status, 429);
    assert.equal(error.message, 'wait 42 s');
    assert.deepEqual(error.details, { groupId: 'g' });
    assert.equal(error.retryAfterSeconds, 42);
    assert.ok(isGatewayError(error));
    assert.ok(!isGatewayError(new Error('x')));
  });

  it('fail() throws by name', () => {
    assert.throws(() => fail('MISSING_PARAMETER', 'groupId is required'), (error: unknown) =>
      error instanceof GatewayError && error.status === 400 && error.message === 'groupId is required');
  });
});
