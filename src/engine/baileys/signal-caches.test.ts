// The patched Baileys' Signal caches ([bounded-signal-caches] in patches/): the LID mapping cache is bounded and
// keeps no timer per entry, and what it let go is read from the session's key store again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addTransactionCapability } from 'baileys';
import { LIDMappingStore } from 'baileys/lib/Signal/lid-mapping.js';
import { MemoryAuthStore } from '../testing/memory-auth-store.js';
import { testLogger } from '../testing/test-logger.js';
import { SessionAuth } from './auth-state.js';

const CONTACTS = 3_000;
const pn = (i: number) => `1555${String(i).padStart(7, '0')}@s.whatsapp.net`;
const lid = (i: number) => `8${String(i).padStart(13, '0')}@lid`;
const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

test('a number that hears from 3,000 contacts keeps at most 1,024 LID mappings in memory, no timer each, and still resolves all', async () => {
  const auth = SessionAuth.fresh(new MemoryAuthStore(), testLogger);
  const keys = addTransactionCapability(auth.state.keys, testLogger as never, { maxCommitRetries: 1, delayBetweenTriesMs: 1 });
  const mappings = new LIDMappingStore(keys, testLogger as never);
  const timersBefore = timers();
  for (let i = 0; i < CONTACTS; i += 100) {
    await mappings.storeLIDPNMappings(Array.from({ length: 100 }, (_, k) => ({ pn: pn(i + k), lid: lid(i + k) })));
  }
  assert.ok(timers() - timersBefore < 10, `${timers() - timersBefore} timers added for ${CONTACTS} contacts`);
  const cache = (mappings as unknown as { mappingCache: { size: number } }).mappingCache;
  assert.ok(cache.size <= 1024, `${cache.size} entries kept`);
  assert.equal(await mappings.getLIDForPN(pn(0)), lid(0), 'the first contact, long out of the cache, comes from the key store');
  assert.equal(await mappings.getPNForLID(lid(1)), pn(1).replace('@', ':0@'), 'device 0, as Baileys writes it');
  assert.equal(await mappings.getLIDForPN(pn(CONTACTS - 1)), lid(CONTACTS - 1));
});
