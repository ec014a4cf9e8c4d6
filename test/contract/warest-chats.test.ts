// Contract: the 10 Chats actions and List Contacts exactly as the WARest n8n node sends them (api-compat §1.2-1.6:
// GET fields and Additional Fields in the query, every other request a JSON body — DELETE included —, path
// parameters URI-encoded, both auth headers), each answered in the WARest envelope with WARest's result fields
// (routes/chats.js, messages.actions.js, profiles.js), and the effect checked on the sandbox phone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';
import { enveloped, hasFields, n8nCall } from '../support/n8n-node.js';

// [operation, method, route, fields] as in the node (api-compat §1.3 rows 21-30 and 68).
const CHAT_ACTIONS = [
  ['listChats', 'GET', '/chats', ['sessionId']],
  ['getChatMessages', 'GET', '/chats/{chatId}/messages', ['sessionId']],
  ['pinChat', 'POST', '/chats/{chatId}/pin', ['sessionId', 'pin']],
  ['pinMessage', 'POST', '/chats/{chatId}/messages/{messageId}/pin', ['sessionId', 'pin']],
  ['markChatRead', 'POST', '/chats/{chatId}/read', ['sessionId']],
  ['archiveChat', 'POST', '/messages/action/archive', ['sessionId', 'to']],
  ['unarchiveChat', 'POST', '/messages/action/unarchive', ['sessionId', 'to']],
  ['muteChat', 'POST', '/messages/action/mute', ['sessionId', 'to']],
  ['unmuteChat', 'POST', '/messages/action/unmute', ['sessionId', 'to']],
  ['clearChat', 'DELETE', '/messages/action/clear-all', ['sessionId', 'to']],
  ['listContacts', 'GET', '/profile/list-contacts', ['sessionId']]
] as const;

type Operation = (typeof CHAT_ACTIONS)[number][0];

const ALICE = '15556660001';
const BOB = '15556660002';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const SESSION = 'contract-chats';

const CHAT_ITEM = ['id', 'jid', 'displayName', 'name', 'isGroup', 'unreadCount', 'lastMessage', 'lastMessageTimestamp', 'ephemeralExpiry', 'createdAt', 'updatedAt'];
const MESSAGE_ITEM = ['id', 'toJid', 'senderJid', 'fromMe', 'messageType', 'body', 'timestamp', 'isMedia', 'mediaType', 'mediaMetadata', 'quotedMessageId', 'mentionedJids', 'reactions', 'isEdited', 'isDeleted', 'deletedAt', 'createdAt', 'updatedAt'];
const ACTION_RESULT = ['sessionId', 'phone', 'to', 'toJid', 'status'];

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, chats`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let apiKey: string;
    const seen = new Set<Operation>();
    const bobIds: string[] = [];
    const call = (operation: Operation, values: Record<string, unknown> = {}, additional?: Record<string, unknown>) => {
      seen.add(operation);
      return n8nCall(CHAT_ACTIONS, gw.url, apiKey, operation, { sessionId: SESSION, chatId: BOB_JID, to: BOB, ...values }, { extra: additional });
    };
    const mutations = async (action: string) => (await sb.ok<{ mutations: any[] }>('GET', `/sandbox/v1/accounts/${ALICE}/app-state?action=${action}`)).mutations;

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      apiKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n' } })).body.results[0].key;
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: BOB, name: 'Bob' });
      await linkSession(new ApiClient(gw.url, apiKey), sb, SESSION, ALICE);
      for (const text of ['one', 'two']) bobIds.push((await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text })).id);
      await eventually(async () => {
        const list = await n8nCall(CHAT_ACTIONS, gw.url, apiKey, 'listChats', { sessionId: SESSION });
        return list.body.results?.[0]?.data?.[0]?.unreadCount === 2 ? true : undefined;
      }, { what: 'Bob’s messages stored' });
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('the 10 chat actions and List Contacts', async () => {
      const list = enveloped('listChats', await call('listChats', {}, { limit: 10, offset: 0, sortBy: 'unreadCount', sortOrder: 'desc', hasMedia: false, search: BOB.slice(-4) }));
      hasFields('listChats', list, ['sessionId', 'phone', 'data', 'pagination']);
      assert.deepEqual(list.pagination, { limit: 10, offset: 0, total: 1 });
      hasFields('listChats', list.data[0], CHAT_ITEM);
      assert.deepEqual([list.data[0].jid, list.data[0].unreadCount, list.data[0].isGroup, list.data[0].lastMessage.id], [BOB_JID, 2, false, bobIds[1]]);

      const messages = enveloped('getChatMessages', await call('getChatMessages', {}, { limit: 10, search: 'tw', mediaOnly: false }));
      hasFields('getChatMessages', messages, ['sessionId', 'phone', 'data', 'pagination', 'chatInfo']);
      hasFields('getChatMessages', messages.data[0], MESSAGE_ITEM);
      assert.deepEqual(messages.data.map((m: any) => m.id), [bobIds[1]]);
      hasFields('getChatMessages', messages.chatInfo, ['jid', 'name', 'lastMessage', 'isGroup', 'unreadCount', 'lastMessageTimestamp']);

      const read = await call('markChatRead', {}, { messages: 0 });
      assert.equal(read.body.message, 'Marked 2 unread message(s) as read');
      hasFields('markChatRead', enveloped('markChatRead', read), ['sessionId', 'phone', 'chatId', 'totalMarked', 'mode', 'parameters', 'marked']);

      const pinned = enveloped('pinChat', await call('pinChat', { pin: true }));
      hasFields('pinChat', pinned, ['sessionId', 'phone', 'chatId', 'pinned', 'message', 'updatedAt']);
      assert.equal(pinned.pinned, true);
      const unpinned = await call('pinChat', { pin: false });
      assert.deepEqual([unpinned.body.message, enveloped('pinChat', unpinned).pinned], ['Chat unpinned', false]);

      const pinMessage = await call('pinMessage', { messageId: bobIds[0], pin: true });
      assert.equal(pinMessage.body.message, 'Message pinned');
      hasFields('pinMessage', enveloped('pinMessage', pinMessage), ['sessionId', 'phone', 'chatId', 'messageId', 'pinned', 'message', 'updatedAt']);

      for (const [operation, message, status, additional] of [
        ['archiveChat', 'Chat archived', 'chat archived success', {}],
        ['unarchiveChat', 'Chat unarchived', 'chat unarchived success', {}],
        ['muteChat', 'Chat muted', 'chat muted success', { duration: 60 }],
        ['unmuteChat', 'Chat unmuted', 'chat unmuted success', {}],
        ['clearChat', 'Chat cleared', 'chat cleared success', {}]
      ] as const) {
        const answer = await call(operation, {}, additional);
        assert.equal(answer.body.message, message, operation);
        const result = enveloped(operation, answer);
        hasFields(operation, result, ACTION_RESULT);
        assert.deepEqual([result.status, result.to, result.toJid], [status, BOB, BOB_JID], operation);
      }
      await eventually(async () => {
        const [archive, mute, clear, read] = await Promise.all([mutations('archive'), mutations('mute'), mutations('clearChat'), mutations('markChatAsRead')]);
        return archive.length === 2 && mute.length === 2 && clear.length === 1 && read.length === 1 ? true : undefined;
      }, { what: 'every change on the phone' });

      const contacts = enveloped('listContacts', await call('listContacts', {}, { type: 'contacts', deep: false, limit: 15, offset: 0 }));
      hasFields('listContacts', contacts, ['phone', 'data']);
      const bob = contacts.data.find((c: any) => c.jid === BOB_JID);
      hasFields('listContacts', bob, ['jid', 'phone', 'name']);
      assert.equal(bob.phone, BOB);
      const members = enveloped('listContacts', await call('listContacts', {}, { type: 'groups' }));
      assert.deepEqual(members.data, []);

      assert.deepEqual([...seen].sort(), CHAT_ACTIONS.map(([op]) => op).sort());
    });

    test('the node’s errors: a non-2xx with the envelope and a WARest code', async () => {
      const muteTooLong = await call('muteChat', {}, { duration: 50_000 });
      assert.deepEqual([muteTooLong.status, muteTooLong.body.code, muteTooLong.body.status], [400, 2002, false]);
      const unknown = await call('archiveChat', { to: '15556669999' });
      assert.deepEqual([unknown.status, unknown.body.code], [404, 2603]);
      const noSession = await call('listChats', { sessionId: 'nope' });
      assert.deepEqual([noSession.status, noSession.body.code], [404, 1101]);
    });
  });
}
