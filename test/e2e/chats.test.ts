// Chats end to end through the HTTP API against the sandbox: the chat store kept from live messages (unread
// counts, last message), listing, sorting, searching and paging, a chat's messages with filters, and the chat
// changes made through WhatsApp's app state (archive, pin, mute, read, clear), checked on the sandbox phone (the
// patches it decrypted) and as chat_update webhooks; pinning a message; bad input refused with nothing changed.
// SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, hookTo, linkSession } from '../support/gateway-harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const ALICE = '15557770001';
const BOB = '15557770002';
const CAROL = '15557770003';
const SESSION = 'chats-alice';
const DAVE = '15557770004';
const DAVE_SESSION = 'chats-dave';
const BOB_JID = `${BOB}@s.whatsapp.net`;
const CAROL_JID = `${CAROL}@s.whatsapp.net`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: chats`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const receiver = new WebhookReceiver('chats-secret-123');
    const bobIds: string[] = [];

    const get = (path: string) => gw.request('GET', `/api/v1${path}${path.includes('?') ? '&' : '?'}sessionId=${SESSION}`);
    const post = (path: string, body: Record<string, unknown> = {}, method = 'POST') => gw.request(method, `/api/v1${path}`, { body: { sessionId: SESSION, ...body } });
    const chats = async (query = '') => {
      const answer = await get(`/chats${query}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.results[0] as { data: any[]; pagination: { total: number; limit: number; offset: number } };
    };
    const chatOf = async (jid: string) => (await chats('?limit=500')).data.find((c) => c.jid === jid);
    const mutations = async (action: string) => (await sb.ok<{ mutations: any[] }>('GET', `/sandbox/v1/accounts/${ALICE}/app-state?action=${action}`)).mutations;

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb, { WAYGATE_SEND_TIMEOUT_MS: '10000', WAYGATE_HISTORY_DAYS: '30', WAYGATE_HISTORY_MESSAGES_PER_CHAT: '5' });
      await receiver.start();
      for (const phone of [BOB, CAROL]) await sb.ok('POST', '/sandbox/v1/accounts', { phone, name: `User ${phone}` });
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await hookTo(gw, SESSION, receiver);
      for (const text of ['hello alice', 'are you there?', 'ping pong']) {
        bobIds.push((await sb.ok<{ id: string }>('POST', `/sandbox/v1/accounts/${BOB}/messages`, { to: ALICE, text })).id);
      }
      await sb.ok('POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: ALICE, text: 'hi from carol' });
      // Our reply after Carol's message is stored (both may fall in one second).
      await eventually(async () => ((await chatOf(CAROL_JID))?.unreadCount === 1 ? true : undefined), { what: 'Carol’s message stored' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const sent = await post('/messages/send/text', { to: CAROL, message: 'hi carol' });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    });

    after(async () => {
      await gw?.stop();
      await receiver.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('live messages keep the chat list: unread counts, our reply resets them, the newest message is the last', async () => {
      const bob = await eventually(async () => {
        const chat = await chatOf(BOB_JID);
        return chat?.unreadCount === 3 ? chat : undefined;
      }, { what: 'Bob’s chat with 3 unread' });
      assert.equal(bob.isGroup, false);
      assert.equal(bob.lastMessage.id, bobIds[2]);
      assert.equal(bob.lastMessage.text, 'ping pong');
      assert.equal(bob.archived, false);
      const carol = await eventually(async () => {
        const chat = await chatOf(CAROL_JID);
        return chat?.lastMessage?.fromMe ? chat : undefined;
      }, { what: 'Carol’s chat ends with our reply' });
      assert.equal(carol.unreadCount, 0);
      assert.equal(carol.lastMessage.text, 'hi carol');
    });

    test('a sender becomes a contact of the session under the push name its messages carry', async () => {
      const contacts = await gw.request('GET', `/api/v1/profile/list-contacts?sessionId=${SESSION}&limit=50`);
      assert.equal(contacts.status, 200, JSON.stringify(contacts.body));
      const bob = contacts.body.results[0].data.find((c: any) => c.jid === BOB_JID);
      assert.deepEqual([bob?.notify, bob?.name, bob?.phone], [`User ${BOB}`, `User ${BOB}`, BOB], JSON.stringify(contacts.body.results[0].data));
      assert.match(bob.lid ?? '', /@lid$/);
    });

    test('the list sorts, searches and pages, with a total', async () => {
      const byUnread = await chats('?sortBy=unreadCount&sortOrder=desc');
      assert.equal(byUnread.data[0].jid, BOB_JID);
      const times = (list: { data: any[] }) => list.data.map((c) => c.lastMessageTimestamp as number);
      const byLast = await chats('?sortBy=lastMessage&sortOrder=desc');
      assert.deepEqual(times(byLast), [...times(byLast)].sort((a, b) => b - a));
      const asc = await chats('?sortBy=lastMessage&sortOrder=asc');
      assert.deepEqual(times(asc), [...times(asc)].sort((a, b) => a - b));
      const page = await chats('?limit=1&offset=1&sortBy=lastMessage');
      assert.deepEqual([page.data.length, page.data[0].jid, page.pagination], [1, byLast.data[1].jid, { limit: 1, offset: 1, total: 2 }]);
      assert.deepEqual((await chats(`?search=${CAROL.slice(-4)}`)).data.map((c) => c.jid), [CAROL_JID]);
      assert.equal((await chats('?hasMedia=true')).pagination.total, 0);
      assert.deepEqual((await chats('?sortBy=name&sortOrder=asc')).data.length, 2);
    });

    test('a chat’s messages, newest first, filtered by direction, text and time', async () => {
      const all = await get(`/chats/${encodeURIComponent(BOB_JID)}/messages?limit=10`);
      assert.equal(all.status, 200, JSON.stringify(all.body));
      const result = all.body.results[0];
      assert.deepEqual(result.data.map((m: any) => m.id), [...bobIds].reverse());
      assert.equal(result.chatInfo.jid, BOB_JID);
      assert.equal(result.pagination.total, 3);
      assert.equal(result.data[0].body, 'ping pong');
      const searched = await get(`/chats/${BOB}/messages?search=THERE`);
      assert.deepEqual(searched.body.results[0].data.map((m: any) => m.id), [bobIds[1]]);
      const mine = await get(`/chats/${CAROL}/messages?isFromMe=true`);
      assert.deepEqual(mine.body.results[0].data.map((m: any) => m.body), ['hi carol']);
      await sb.ok('POST', `/sandbox/v1/accounts/${CAROL}/messages`, { to: ALICE, reaction: { messageId: mine.body.results[0].data[0].id, emoji: '👍' } });
      const reacted = await eventually(async () => {
        const answer = await get(`/chats/${CAROL}/messages?isFromMe=true`);
        return answer.body.results[0].data[0].reactions.length ? answer.body.results[0].data[0] : undefined;
      }, { what: 'the reaction on the message' });
      assert.deepEqual([reacted.reactions[0].emoji, reacted.reactions[0].from], ['👍', CAROL_JID]);
      const ts = result.data[2].timestamp as number;
      const windowed = await get(`/chats/${BOB}/messages?startTime=${ts * 1000}&endTime=${ts * 1000 + 999}`);
      assert.ok(windowed.body.results[0].data.some((m: any) => m.id === bobIds[0]));
      const future = await get(`/chats/${BOB}/messages?startTime=${(ts + 3600) * 1000}`);
      assert.equal(future.body.results[0].pagination.total, 0);
    });

    test('bad input is a 4xx with an app code', async () => {
      const cases: [Promise<{ status: number; body: any }>, number, number][] = [
        [get('/chats?limit=-1'), 400, 2002],
        [get('/chats?limit=100000'), 400, 2002],
        [get('/chats?offset=-5'), 400, 2002],
        [get('/chats?sortBy=size'), 400, 2002],
        [get(`/chats/${BOB}/messages?startTime=2000&endTime=1000`), 400, 2002],
        [get('/chats/15550009999/messages'), 404, 2603],
        [get('/chats/abc@newsletter/messages'), 400, 2002],
        [post('/messages/action/archive', { to: '15550009999' }), 404, 2603],
        [post('/messages/action/mute', { to: BOB, duration: 0 }), 400, 2002],
        [post('/messages/action/mute', { to: BOB, duration: 43_201 }), 400, 2002],
        [post('/messages/action/archive', {}), 400, 2001],
        [post(`/chats/${BOB}/messages/NOSUCHID/pin`, { pin: true }), 404, 2601],
        [post(`/chats/${BOB}/read`, { messages: -1 }), 400, 2002]
      ];
      for (const [request, status, code] of cases) {
        const answer = await request;
        assert.equal(answer.status, status, JSON.stringify(answer.body));
        assert.equal(answer.body.code, code, JSON.stringify(answer.body));
      }
      const bob = await chatOf(BOB_JID);
      assert.deepEqual([bob.muted, bob.archived], [false, false], 'refused requests changed nothing');
      assert.equal((await mutations('mute')).length, 0);
    });

    test('mark read sends read receipts for the unread messages and marks the chat read on the phone', async () => {
      const answer = await post(`/chats/${BOB}/read`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.results[0].totalMarked, 3);
      assert.equal((await chatOf(BOB_JID)).unreadCount, 0);
      await eventually(async () => {
        const sent = (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages.find((m) => m.id === bobIds[2]);
        return sent?.receipts?.some((r: any) => r.type === 'read') ? sent : undefined;
      }, { what: 'Bob’s phone sees the read receipt' });
      const read = await eventually(async () => (await mutations('markChatAsRead')).find((m) => m.index[1] === BOB_JID), { what: 'markChatAsRead on the phone' });
      assert.equal(read.value.markChatAsReadAction.read, true);
    });

    test('archive, pin and mute go through the app state to the phone, into the store and out as chat_update', async () => {
      const archived = await post('/messages/action/archive', { to: BOB });
      assert.equal(archived.status, 200, JSON.stringify(archived.body));
      assert.deepEqual([archived.body.message, archived.body.results[0].status, archived.body.results[0].toJid], ['Chat archived', 'chat archived success', BOB_JID]);
      const pinned = await post(`/chats/${encodeURIComponent(BOB_JID)}/pin`, { pin: true });
      assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
      assert.deepEqual([pinned.body.message, pinned.body.results[0].pinned], ['Chat pinned', true]);
      const muted = await post('/messages/action/mute', { to: BOB, duration: 120 });
      assert.equal(muted.status, 200, JSON.stringify(muted.body));
      assert.ok(muted.body.results[0].mutedUntil > Date.now() + 119 * 60_000);

      const bob = await chatOf(BOB_JID);
      assert.deepEqual([bob.archived, bob.pinned, bob.muted], [true, true, true]);
      const onPhone = await eventually(async () => {
        const [a, p, m] = await Promise.all([mutations('archive'), mutations('pin_v1'), mutations('mute')]);
        return a.length && p.length && m.length ? { a, p, m } : undefined;
      }, { what: 'the phone decrypts archive, pin and mute' });
      assert.equal(onPhone.a.at(-1).value.archiveChatAction.archived, true);
      assert.equal(onPhone.p.at(-1).value.pinAction.pinned, true);
      assert.equal(onPhone.m.at(-1).value.muteAction.muted, true);
      const phoneChat = (await sb.ok<{ chats: any[] }>('GET', `/sandbox/v1/accounts/${ALICE}/chats`)).chats.find((c) => c.chat === BOB_JID);
      assert.deepEqual([phoneChat.archived, phoneChat.pinned, phoneChat.read], [true, true, true]);
      assert.ok(phoneChat.mutedUntil > Date.now());

      const events = await eventually(() => {
        const found = receiver.events('chat_update').filter((e) => e.body.data.chatId === BOB_JID && e.body.data.source === 'api');
        return found.length >= 4 ? found : undefined;
      }, { what: 'chat_update webhooks' });
      assert.ok(events.every((e) => e.signatureValid));
      const changed = new Set(events.flatMap((e) => Object.keys(e.body.data.changes)));
      for (const key of ['archived', 'pinned', 'muted']) assert.ok(changed.has(key), `a chat_update says ${key}`);

      for (const [path, body] of [['/messages/action/unarchive', { to: BOB }], ['/messages/action/unmute', { to: BOB }], [`/chats/${BOB}/pin`, { pin: false }]] as const) {
        const answer = await post(path, body);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
      }
      const after = await chatOf(BOB_JID);
      assert.deepEqual([after.archived, after.pinned, after.muted], [false, false, false]);
    });

    test('pin a message for everyone: the other side gets the pin message', async () => {
      const answer = await post(`/chats/${BOB}/messages/${bobIds[0]}/pin`, { pin: true });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual([answer.body.message, answer.body.results[0].messageId, answer.body.results[0].duration], ['Message pinned', bobIds[0], 604_800]);
      const pin = await eventually(async () => (await sb.ok<{ messages: any[] }>('GET', `/sandbox/v1/accounts/${BOB}/messages`)).messages.find((m) => m.id === answer.body.results[0].pinMessageId), {
        what: 'Bob receives the pin'
      });
      assert.equal(pin.message.pinInChatMessage.key.id, bobIds[0]);
    });

    test('clear-all deletes the chat’s messages everywhere and keeps the chat', async () => {
      const answer = await post('/messages/action/clear-all', { to: CAROL }, 'DELETE');
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.results[0].status, 'chat cleared success');
      const messages = await get(`/chats/${CAROL}/messages`);
      assert.equal(messages.body.results[0].pagination.total, 0);
      assert.ok(await chatOf(CAROL_JID));
      await eventually(async () => (await mutations('clearChat')).find((m) => m.index[1] === CAROL_JID), { what: 'clearChat on the phone' });
    });

    test('a change made on the phone reaches the store and a chat_update webhook', async () => {
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/chats`, { action: 'archive', chat: BOB });
      await eventually(async () => ((await chatOf(BOB_JID))?.archived ? true : undefined), { what: 'the phone’s archive in GET /chats' });
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/chats`, { action: 'mute', chat: BOB, minutes: 30 });
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/chats`, { action: 'pin', chat: BOB });
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/chats`, { action: 'markUnread', chat: BOB });
      const bob = await eventually(async () => {
        const chat = await chatOf(BOB_JID);
        return chat?.muted && chat.pinned && chat.markedUnread ? chat : undefined;
      }, { what: 'mute, pin and unread from the phone' });
      assert.ok(bob.mutedUntil > Date.now() + 29 * 60_000);
      // Changes that reach the gateway in one app-state sync may come as one update (Baileys merges a chat's updates
      // while it buffers events), so what counts is that every change is in some chat_update from the phone.
      const fromPhone = await eventually(() => {
        const found = receiver.events('chat_update').filter((e) => e.body.data.chatId === BOB_JID && e.body.data.source === 'phone');
        const changed = new Set(found.flatMap((e) => Object.keys(e.body.data.changes)));
        return ['archived', 'muted', 'pinned', 'markedUnread'].every((key) => changed.has(key)) ? found : undefined;
      }, { what: 'chat_update webhooks from the phone saying archived, muted, pinned and markedUnread' });
      assert.ok(fromPhone.every((e) => Object.keys(e.body.data.changes).length > 0), 'no phone chat_update without a change');
      assert.equal(fromPhone[0]!.body.data.chat.jid, BOB_JID);
      await sb.ok('POST', `/sandbox/v1/accounts/${ALICE}/chats`, { action: 'unarchive', chat: BOB });
      await eventually(async () => ((await chatOf(BOB_JID))?.archived === false ? true : undefined), { what: 'unarchived from the phone' });
    });

    test('the initial history sync stores chats with their state, contacts, and messages within the bounds', async () => {
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: DAVE, name: 'Dave' });
      const history = await sb.ok('POST', `/sandbox/v1/accounts/${DAVE}/history`, {
        chats: [
          { with: BOB, name: 'Bob Book', messages: 12, spanDays: 60 },
          { with: CAROL, name: 'Carol Book', messages: 3, unread: 2, archived: true, pinned: true, mutedMinutes: -1 }
        ],
        generate: { chats: 3, messages: 2 }
      });
      assert.deepEqual(history, { chats: 5, messages: 21 });
      await linkSession(gw, sb, DAVE_SESSION, DAVE, 'Dave');
      const list = async () => (await gw.request('GET', `/api/v1/chats?sessionId=${DAVE_SESSION}&limit=50`)).body.results[0];
      const stored = await eventually(async () => {
        const result = await list();
        return result?.pagination?.total >= 5 ? result : undefined;
      }, { what: 'history chats stored' });
      const carol = stored.data.find((c: any) => c.jid === CAROL_JID);
      assert.deepEqual([carol.name, carol.archived, carol.pinned, carol.muted, carol.unreadCount], ['Carol Book', true, true, true, 2]);
      const bobMessages = await eventually(async () => {
        const answer = await gw.request('GET', `/api/v1/chats/${BOB}/messages?sessionId=${DAVE_SESSION}&limit=50`);
        return answer.status === 200 && answer.body.results[0].pagination.total > 0 ? answer.body.results[0] : undefined;
      }, { what: 'Bob history messages' });
      assert.equal(bobMessages.pagination.total, 5, 'at most WAYGATE_HISTORY_MESSAGES_PER_CHAT per chat');
      const cutoff = Math.floor(Date.now() / 1000) - 30 * 86_400;
      assert.ok(bobMessages.data.every((m: any) => m.timestamp >= cutoff), 'none older than WAYGATE_HISTORY_DAYS');
      assert.match(bobMessages.data[0].body, /^history 12 with Bob Book$/);
      const carolMessages = await gw.request('GET', `/api/v1/chats/${CAROL}/messages?sessionId=${DAVE_SESSION}`);
      assert.equal(carolMessages.body.results[0].pagination.total, 3);
      const contacts = await gw.request('GET', `/api/v1/profile/list-contacts?sessionId=${DAVE_SESSION}&limit=50`);
      assert.equal(contacts.status, 200, JSON.stringify(contacts.body));
      const names = contacts.body.results[0].data.map((c: any) => c.name);
      assert.ok(names.includes('Carol Book') && names.includes('Bob Book'), JSON.stringify(names));
    });

    test('list contacts: type=groups lists the members of the session’s groups, filtered by groupIds', async () => {
      const created = await post('/group/create', { groupName: 'Chat test group', participants: [BOB, CAROL] });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const groupId = created.body.results[0].groupId as string;
      const members = await get(`/profile/list-contacts?type=groups&groupIds=${encodeURIComponent(groupId)}&limit=10`);
      assert.equal(members.status, 200, JSON.stringify(members.body));
      const result = members.body.results[0];
      assert.deepEqual(result.data.map((c: any) => c.jid).sort(), [BOB_JID, CAROL_JID]);
      assert.ok(result.data.every((c: any) => c.groups.includes(groupId)));
      assert.equal(result.pagination.total, 2);
      const paged = await get('/profile/list-contacts?type=groups&limit=1&offset=1');
      assert.equal(paged.body.results[0].data.length, 1);
      const bad = await get('/profile/list-contacts?type=groups&groupIds=not-a-group');
      assert.equal(bad.status, 400, JSON.stringify(bad.body));
      const badType = await get('/profile/list-contacts?type=everyone');
      assert.equal(badType.status, 400, JSON.stringify(badType.body));
    });
  });
}
