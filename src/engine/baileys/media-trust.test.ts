// Sessions share the media trust (HTTPS agent, download dispatcher) of their certificate authority.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mediaTrustFor } from './media-trust.js';

const SANDBOX_CA = '-----BEGIN CERTIFICATE-----\nsandbox\n-----END CERTIFICATE-----\n';

test('one media trust per certificate authority, whatever the number of sessions', () => {
  assert.equal(mediaTrustFor(SANDBOX_CA), mediaTrustFor(SANDBOX_CA));
  assert.equal(mediaTrustFor(SANDBOX_CA).uploadAgent, mediaTrustFor(SANDBOX_CA).uploadAgent);
  assert.notEqual(mediaTrustFor(`${SANDBOX_CA}\n`), mediaTrustFor(SANDBOX_CA));
  assert.equal(mediaTrustFor(undefined).uploadAgent, undefined);
  assert.equal(mediaTrustFor(undefined).downloadOptions(), undefined);
});
