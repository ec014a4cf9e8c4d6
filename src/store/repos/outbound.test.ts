import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore } from '../testing.js';
import { createApiKey } from './api-keys.js';
import { countSendsByState, enqueueMessages, setOutboundState, takeNextOutbound } from './outbound.js';
import { createSession } from './sessions.js';

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: the send queue`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      const owner = await createApiKey(store.db, { name: 'owner', keyHash: 'c'.repeat(64) });
      for (const id of ['a', 'b']) await createSession(store.db, { id, ownerKeyId: owner.id });
    });
    after(() => store.close());

    const text = (id: string) => ({ id, chat: '15550001111@s.whatsapp.net', kind: 'text', content: '{}' });

    it("takes a session's messages in acceptance order, each marked sending with its attempt counted", async () => {
      await enqueueMessages(store.db, 'a', 'r1', [text('A1'), text('A2')], 1000, 9000);
      await enqueueMessages(store.db, 'b', 'r2', [text('B1')], 1001, 9000);
      await enqueueMessages(store.db, 'a', 'r3', [text('A3')], 1002, 9000);

      const first = await takeNextOutbound(store.db, 'a');
      assert.deepEqual([first?.id, first?.state, first?.attempts], ['A1', 'sending', 1]);
      assert.deepEqual(await countSendsByState(store.db, 'a'), { queued: 2, sending: 1, sent: 0, failed: 0 });

      const again = await takeNextOutbound(store.db, 'a');
      assert.deepEqual([again?.id, again?.attempts], ['A1', 2], 'a message left sending (a crash) is the next one, its attempt counted again');
      await setOutboundState(store.db, 'a', 'A1', { state: 'sent', sentAt: 2000 });
      assert.equal((await takeNextOutbound(store.db, 'a'))?.id, 'A2');
      await setOutboundState(store.db, 'a', 'A2', { state: 'queued' });
      assert.equal((await takeNextOutbound(store.db, 'a'))?.id, 'A2', 'handed back, it keeps its place');
      await setOutboundState(store.db, 'a', 'A2', { state: 'failed', error: 'refused' });
      assert.equal((await takeNextOutbound(store.db, 'a'))?.id, 'A3');
      await setOutboundState(store.db, 'a', 'A3', { state: 'sent', sentAt: 2001 });

      assert.equal(await takeNextOutbound(store.db, 'a'), undefined, 'an empty queue');
      assert.equal((await takeNextOutbound(store.db, 'b'))?.id, 'B1', "another session's queue is its own");
      assert.deepEqual(await countSendsByState(store.db, 'a'), { queued: 0, sending: 0, sent: 2, failed: 1 });
    });
  });
}
