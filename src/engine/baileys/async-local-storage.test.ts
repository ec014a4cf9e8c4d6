// Baileys gives every Signal key store its own AsyncLocalStorage (issue #2806): each one a session socket or a
// sandbox account would enable stays in Node's list for good and is stamped on every promise the process makes.
// Linking, restarting and creating accounts must leave that list as it was, and with no key transaction open the one
// storage they share is off too (no promise is stamped at all).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineSandbox, SessionProbe } from '../testing/engine-sandbox.js';
import { eventually } from '../testing/sandbox-phones.js';

/** How many enabled AsyncLocalStorage instances the process has: each stamps its own key on every new promise. */
const enabledStorages = () => Object.getOwnPropertySymbols(Promise.resolve()).filter((s) => s.description === 'kResourceStore').length;

let net: EngineSandbox;
before(async () => {
  net = await EngineSandbox.start();
});
after(async () => {
  await net.stop();
});

test('sessions and sandbox accounts add no enabled storage to the process, however many sockets they open', async () => {
  // Sampled all along: at most the one shared storage, enabled only while a key transaction is open.
  let most = 0;
  const sampler = setInterval(() => (most = Math.max(most, enabledStorages())), 1);
  try {
    const first = await net.linked('15559900001');
    const more = await Promise.all(['15559900002', '15559900003', '15559900004'].map((phone) => net.linked(phone)));
    await first.session.stop();
    const again = net.session(first.store, {}, 's-again');
    const probe = new SessionProbe(again);
    await again.start();
    await probe.status('WORKING');
    await Promise.all([again, ...more.map((m) => m.session)].map((session) => session.stop()));
  } finally {
    clearInterval(sampler);
  }
  assert.ok(most <= 1, `four links (each with its 515 restart) and a restart: at most one storage at a time, saw ${most}`);
  await eventually(async () => (enabledStorages() === 0 ? true : undefined), 2_000);
});
