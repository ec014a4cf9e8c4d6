// What the session does for each way a connection can close.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boom } from '../testing/boom.js';
import { classifyDisconnect } from './disconnect-policy.js';

test('disconnect policy: restart on 515, new QR only when unlinked, give up on 401/440/403, retry the rest', () => {
  const unlinked = { linked: false, showedQr: true };
  const linked = { linked: true, showedQr: false };
  assert.equal(classifyDisconnect(boom(515, 'Stream Errored (restart required)'), unlinked).action, 'restart');
  assert.equal(classifyDisconnect(boom(408, 'QR refs attempts ended'), unlinked).action, 'new-qr');
  assert.equal(classifyDisconnect(boom(408, 'Connection was lost'), linked).action, 'retry');
  assert.deepEqual(classifyDisconnect(boom(401, 'Stream Errored (conflict)', { tag: 'conflict', attrs: { type: 'device_removed' } }), linked), {
    action: 'logged-out',
    reason: 'device removed from the phone'
  });
  assert.deepEqual(classifyDisconnect(boom(401, 'Connection Failure'), linked), { action: 'logged-out', reason: 'logged out by WhatsApp' });
  for (const code of [440, 403, 411]) assert.equal(classifyDisconnect(boom(code, 'x'), linked).action, 'fail', String(code));
  for (const code of [428, 500, 503]) assert.equal(classifyDisconnect(boom(code, 'x'), linked).action, 'retry', String(code));
  assert.equal(classifyDisconnect(new Error('socket hang up'), linked).action, 'retry');
});
