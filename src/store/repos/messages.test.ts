import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storedMessageRow, type MessageRecord } from '../../core/messages/message-rows.js';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { advanceMessageStatus, findMessage, insertMessage, listReactions, markMessageSent, pruneMessages, saveReaction } from './messages.js';

const CHAT = '15550000002@s.whatsapp.net';
const record = (id: string, overrides: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  chat: CHAT,
  fromMe: true,
  type: 'text',
  text: `text of ${id}`,
  quotedId: null,
  mentions: [],
  mediaId: null,
  timestamp: 1_700_000_000,
  status: 'sent',
  raw: { message: { conversation: `text of ${id}` } },
  ...overrides
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: message store`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 'store');
    });
    after(() => store.close());

    it('keeps the first copy of a redelivered message and moves its status forward only', async () => {
      await insertMessage(store.db, storedMessageRow('full', 'store', record('M1'))!);
      await insertMessage(store.db, storedMessageRow('full', 'store', record('M1', { text: 'a redelivery' }))!);
      const key = { sessionId: 'store', chat: CHAT, id: 'M1' };
      await advanceMessageStatus(store.db, key, 'read', 2000);
      await advanceMessageStatus(store.db, key, 'delivered', 3000);
      const stored = await findMessage(store.db, 'store', 'M1');
      assert.equal(stored?.text, 'text of M1');
      assert.equal(stored?.status, 'read');
      assert.equal(stored?.status_at, 2000);
      assert.equal(JSON.parse(stored!.raw!).message.conversation, 'text of M1');
      await advanceMessageStatus(store.db, key, 'failed', 4000);
      assert.equal((await findMessage(store.db, 'store', 'M1'))?.status, 'read', 'a sent message cannot fail afterwards');
    });

    it('a pending send becomes sent with its ack, unless a receipt that came first already moved it further', async () => {
      const pending = (id: string) => storedMessageRow('full', 'store', record(id, { status: 'pending', raw: null, timestamp: 1 }))!;
      await insertMessage(store.db, pending('P1'));
      await insertMessage(store.db, pending('P2'));
      await advanceMessageStatus(store.db, { sessionId: 'store', chat: CHAT, id: 'P2' }, 'delivered', 5000);
      for (const id of ['P1', 'P2']) {
        assert.equal(await markMessageSent(store.db, { sessionId: 'store', chat: CHAT, id }, { timestamp: 1_700_000_100, raw: '{"sent":true}' }, 6000), true);
      }
      const [p1, p2] = [await findMessage(store.db, 'store', 'P1'), await findMessage(store.db, 'store', 'P2')];
      assert.deepEqual([p1?.status, p1?.status_at, p1?.timestamp, p1?.raw], ['sent', 6000, 1_700_000_100, '{"sent":true}']);
      assert.deepEqual([p2?.status, p2?.status_at, p2?.timestamp], ['delivered', 5000, 1_700_000_100]);
      assert.equal(await markMessageSent(store.db, { sessionId: 'store', chat: CHAT, id: 'never-stored' }, { timestamp: 1 }, 7000), false);
    });

    it('settling sends runs one statement text, whatever the times (values are parameters, not compiled in)', async () => {
      const texts = new Set<string>();
      const recording = store.db.withPlugin({
        transformQuery: ({ node, queryId }) => {
          if (node.kind === 'UpdateQueryNode') texts.add(store.db.getExecutor().compileQuery(node, queryId).sql);
          return node;
        },
        transformResult: async ({ result }) => result
      });
      for (const [id, at] of [['S1', 8000], ['S2', 9000]] as const) {
        await insertMessage(store.db, storedMessageRow('full', 'store', record(id, { status: 'pending', raw: null }))!);
        await markMessageSent(recording, { sessionId: 'store', chat: CHAT, id }, { timestamp: at / 10, raw: null }, at);
      }
      assert.equal(texts.size, 1, [...texts].join('\n'));
    });

    it('retention "keys" stores ids, chat, type and status without content; "none" stores nothing', async () => {
      await insertMessage(store.db, storedMessageRow('keys', 'store', record('M2', { mentions: ['1@s.whatsapp.net'] }))!);
      const stored = await findMessage(store.db, 'store', 'M2', CHAT);
      assert.deepEqual([stored?.text, stored?.raw, stored?.mentions, stored?.type, stored?.status], [null, null, null, 'text', 'sent']);
      assert.equal(storedMessageRow('none', 'store', record('M3')), null);
    });

    it('one reaction per person: replaced, then removed by an empty emoji', async () => {
      const reaction = { chat: CHAT, messageId: 'M1', reactor: '15550000003@s.whatsapp.net', emoji: '👍', timestamp: 10 };
      await saveReaction(store.db, 'store', reaction);
      await saveReaction(store.db, 'store', { ...reaction, emoji: '❤️', timestamp: 11 });
      assert.deepEqual((await listReactions(store.db, 'store', CHAT, 'M1')).map((r) => r.emoji), ['❤️']);
      await saveReaction(store.db, 'store', { ...reaction, emoji: '', timestamp: 12 });
      assert.deepEqual(await listReactions(store.db, 'store', CHAT, 'M1'), []);
    });

    it('prunes messages stored before the cutoff', async () => {
      await insertMessage(store.db, storedMessageRow('full', 'store', record('OLD'), 1000)!);
      assert.equal(await pruneMessages(store.db, 5000), 1);
      assert.equal(await findMessage(store.db, 'store', 'OLD'), undefined);
      assert.ok(await findMessage(store.db, 'store', 'M1'));
    });
  });
}
