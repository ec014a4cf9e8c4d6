import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineMessage } from '../../engine/types.js';
import type { Store } from '../../store/open-database.js';
import { findChat, listChatMessages, recordChatMessage } from '../../store/repos/chats.js';
import { findContact } from '../../store/repos/contacts.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import { transaction } from '../../store/transaction.js';
import { reduceContext } from '../events/event-reducer.js';
import { chatEventReducer } from './chat-events.js';

const BOB = '15550000002@s.whatsapp.net';
const BOB_LID = '200000000000002@lid';
const now = Math.floor(Date.now() / 1000);
const message = (id: string, timestamp: number, fromMe = false): EngineMessage => ({
  id,
  chat: BOB,
  sender: { jid: BOB, lid: BOB_LID, pn: BOB },
  fromMe,
  timestamp,
  type: 'text',
  text: `text ${id}`,
  pushName: 'Bobby',
  quotedId: null,
  mentions: [],
  forwarded: false,
  media: null,
  raw: { key: { id } }
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: chat event reducer`, () => {
    let store: Store;
    const S = 'reducer';
    const reducer = chatEventReducer({ history: { days: 7, messagesPerChat: 3 }, retention: 'full' });
    const run = <K extends 'history_sync' | 'chat_update' | 'chat_delete' | 'identity_mapping' | 'group_update'>(kind: K, event: Parameters<NonNullable<(typeof reducer)[K]>>[0]) =>
      transaction(store.db, (trx) => (reducer[kind] as (e: typeof event, ctx: ReturnType<typeof reduceContext>) => Promise<void>)(event, reduceContext(S, trx)));
    const outbox = () => store.db.selectFrom('outbox').selectAll().where('event', '=', 'chat.update').execute();

    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, S);
    });
    after(() => store.close());

    it('a history sync stores chats, contacts and at most N recent messages per chat, across chunks', async () => {
      await run('history_sync', {
        syncType: 'initial_bootstrap',
        progress: 100,
        chats: [{ chat: BOB, name: 'Bob', archived: true, pinnedAt: now, mutedUntil: -1, unreadCount: 4, lastMessageAt: now - 10 }],
        contacts: [{ jid: BOB, pn: BOB, lid: null, name: 'Bob Book' }],
        messages: [message('H1', now - 10), message('H2', now - 20, true), message('OLD', now - 8 * 86_400)],
        mappings: [{ pn: BOB, lid: BOB_LID }]
      });
      await run('history_sync', { syncType: 'recent', progress: 100, chats: [], contacts: [], messages: [message('H3', now - 30), message('H4', now - 40)], mappings: [] });
      const chat = await findChat(store.db, S, BOB);
      assert.deepEqual([chat?.name, chat?.archived, chat?.muted_until, chat?.unread_count, chat?.last_message_id], ['Bob', 1, -1, 4, 'H1']);
      const stored = await listChatMessages(store.db, S, BOB, { limit: 10, offset: 0 });
      assert.deepEqual(stored.rows.map((r) => r.id), ['H1', 'H2', 'H3']);
      const contact = await findContact(store.db, S, BOB_LID);
      assert.deepEqual([contact?.name, contact?.lid], ['Bob Book', BOB_LID]);
      assert.equal((await outbox()).length, 0, 'history is no change to announce');
    });

    it('an app-state change is stored and announced once; a repeat of the same state is not', async () => {
      await run('chat_update', { source: 'app_state', chats: [{ chat: BOB, archived: false, markedUnread: true }] });
      await run('chat_update', { source: 'app_state', chats: [{ chat: BOB, archived: false, markedUnread: true }] });
      const events = await outbox();
      assert.equal(events.length, 1);
      const payload = JSON.parse(events[0]!.payload as unknown as string);
      assert.deepEqual([payload.source, payload.changes], ['phone', { archived: false, markedUnread: true }]);
      await run('chat_delete', { chats: [BOB] });
      assert.equal(await findChat(store.db, S, BOB), undefined);
      assert.equal((await outbox()).length, 2);
    });

    it('a group subject change names its chat', async () => {
      const GROUP = '120363000000000009@g.us';
      await recordChatMessage(store.db, S, { chat: GROUP, id: 'G1', fromMe: false, timestamp: now, media: false });
      await run('group_update', { groupId: GROUP, author: null, changes: { subject: 'Team' } });
      assert.equal((await findChat(store.db, S, GROUP))?.name, 'Team');
    });
  });
}
