import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storedMessageRow, type MessageRecord } from '../../core/messages/message-rows.js';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import { clearChatMessages, findChat, latestReceived, listChatMessages, listChats, patchChat, recordChatMessage } from './chats.js';
import { findContact, linkContactIdentity, listContacts, upsertContacts } from './contacts.js';
import { findMessage, insertMessage } from './messages.js';

const BOB = '15550000002@s.whatsapp.net';
const CAROL = '15550000003@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';

const record = (id: string, chat: string, overrides: Partial<MessageRecord> = {}): MessageRecord => ({
  id,
  chat,
  fromMe: false,
  type: 'text',
  text: `text of ${id}`,
  quotedId: null,
  mentions: [],
  mediaId: null,
  timestamp: 1_700_000_000,
  status: 'received',
  raw: null,
  ...overrides
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: chat and contact store`, () => {
    let store: Store;
    const S = 'chats';
    const message = async (id: string, chat: string, overrides: Partial<MessageRecord> = {}) => {
      const row = record(id, chat, overrides);
      await insertMessage(store.db, storedMessageRow('full', S, row)!);
      await recordChatMessage(store.db, S, { chat, id, fromMe: row.fromMe, timestamp: row.timestamp, media: row.type === 'image' });
    };
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, S);
    });
    after(() => store.close());

    it('counts received messages as unread, keeps the newest as the last one, and resets on one of ours', async () => {
      await message('B1', BOB, { timestamp: 100 });
      await message('B2', BOB, { timestamp: 200 });
      await message('B0', BOB, { timestamp: 50 });
      let chat = await findChat(store.db, S, BOB);
      assert.deepEqual([chat?.unread_count, chat?.last_message_id, chat?.last_message_at, chat?.kind], [3, 'B2', 200, 'user']);
      await patchChat(store.db, S, BOB, { markedUnread: true });
      await message('B3', BOB, { timestamp: 300, fromMe: true });
      chat = await findChat(store.db, S, BOB);
      assert.deepEqual([chat?.unread_count, chat?.marked_unread, chat?.last_message_id], [0, 0, 'B3']);
    });

    it('lists chats sorted, searched, filtered by media and paged, with a total', async () => {
      await message('C1', CAROL, { timestamp: 400, type: 'image', text: 'a photo' });
      await message('G1', GROUP, { timestamp: 150 });
      await message('G2', GROUP, { timestamp: 160 });
      await patchChat(store.db, S, GROUP, { name: 'Zeta group' });
      await upsertContacts(store.db, S, [{ jid: CAROL, name: 'Carol' }, { jid: BOB, notify: 'bobby' }]);
      const page = (q: Partial<Parameters<typeof listChats>[2]>) => listChats(store.db, S, { limit: 10, offset: 0, sortBy: 'lastMessage', sortOrder: 'desc', ...q });
      assert.deepEqual((await page({})).rows.map((r) => r.jid), [CAROL, BOB, GROUP]);
      assert.deepEqual((await page({ sortOrder: 'asc' })).rows.map((r) => r.jid), [GROUP, BOB, CAROL]);
      assert.deepEqual((await page({ sortBy: 'unreadCount' })).rows.map((r) => r.unread_count), [2, 1, 0]);
      const byName = await page({ sortBy: 'name', sortOrder: 'asc' });
      assert.deepEqual(byName.rows.map((r) => r.display_name), ['bobby', 'Carol', 'Zeta group']);
      assert.deepEqual((await page({ search: 'car' })).rows.map((r) => r.jid), [CAROL]);
      assert.deepEqual((await page({ search: '%' })).rows.length, 0, 'wildcards are literal');
      assert.deepEqual((await page({ hasMedia: true })).rows.map((r) => r.jid), [CAROL]);
      const second = await page({ limit: 1, offset: 1 });
      assert.deepEqual([second.total, second.rows.map((r) => r.jid)], [3, [BOB]]);
      assert.deepEqual((await page({ exclude: [BOB] })).total, 2);
    });

    it('fetches a chat’s messages newest first with time, text, media and direction filters', async () => {
      const all = await listChatMessages(store.db, S, BOB, { limit: 10, offset: 0 });
      assert.deepEqual(all.rows.map((r) => r.id), ['B3', 'B2', 'B1', 'B0']);
      assert.deepEqual((await listChatMessages(store.db, S, BOB, { limit: 10, offset: 0, from: 100, to: 200 })).rows.map((r) => r.id), ['B2', 'B1']);
      assert.deepEqual((await listChatMessages(store.db, S, BOB, { limit: 10, offset: 0, fromMe: true })).rows.map((r) => r.id), ['B3']);
      assert.deepEqual((await listChatMessages(store.db, S, BOB, { limit: 10, offset: 0, search: 'OF B1' })).rows.map((r) => r.id), ['B1']);
      assert.deepEqual((await listChatMessages(store.db, S, CAROL, { limit: 10, offset: 0, mediaOnly: true })).total, 1);
      assert.deepEqual((await latestReceived(store.db, S, BOB, 2)).map((r) => r.id), ['B1', 'B2']);
    });

    it('clearing a chat deletes its messages up to then and keeps it in the list, read', async () => {
      assert.equal(await clearChatMessages(store.db, S, CAROL, 400), 1);
      assert.equal(await findMessage(store.db, S, 'C1'), undefined);
      const chat = await findChat(store.db, S, CAROL);
      assert.deepEqual([chat?.unread_count, chat?.has_media, chat?.cleared_at !== null], [0, 0, true]);
    });

    it('contacts: fields set separately, a LID contact re-keyed to its PN, listed by name', async () => {
      const LID = '200000000000009@lid';
      const PN = '15550000009@s.whatsapp.net';
      await upsertContacts(store.db, S, [{ jid: LID, lid: LID, notify: 'Dave' }]);
      await upsertContacts(store.db, S, [{ jid: LID, name: 'Dave Book' }]);
      await linkContactIdentity(store.db, S, PN, LID);
      const dave = await findContact(store.db, S, LID);
      assert.deepEqual([dave?.jid, dave?.pn, dave?.lid, dave?.name, dave?.notify], [PN, PN, LID, 'Dave Book', 'Dave']);
      const list = await listContacts(store.db, S, { limit: 2, offset: 0 });
      assert.deepEqual([list.total, list.rows.map((r) => r.jid)], [3, [BOB, CAROL]]);
    });
  });
}
