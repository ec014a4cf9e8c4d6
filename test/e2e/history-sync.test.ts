// The initial history sync at scale, end to end: a sandbox phone with 2,000 chats and 20,000 messages of history
// links a gateway session configured with small bounds (5 days, 5 messages per chat). The store must hold every
// chat, and of the messages only the newest 5 per chat and none older than 5 days (checked per chat in the
// database itself); the chat list must page through all 2,000 chats without duplicates or gaps in lastMessage and
// unreadCount order; a chat's messages come back newest first. SQLite and PostgreSQL.
//
// The history is laid out so that every bound is what limits somewhere: chat i's newest message is 1 + 60·i
// seconds old and it has 10 messages, 9,600 s apart (even i: over 1 day, so the per-chat bound keeps 5) or 6⅔
// days apart (odd i: over 60 days, so the age bound keeps 1). Unread counts are i mod 7.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase, type Store } from '../../src/store/open-database.js';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';

const PHONE = '15558880001';
const SESSION = 'history-at-scale';
const CHATS = 2_000;
const MESSAGES_PER_CHAT = 10;
const DAYS = 5;
const KEEP_PER_CHAT = 5;
const STEP_SECONDS = 60;

const peer = (i: number) => `1777${String(i).padStart(7, '0')}`;
const jidOf = (i: number) => `${peer(i)}@s.whatsapp.net`;
const nameOf = (i: number) => `History ${i}`;
const longSpan = (i: number) => i % 2 === 1;
/** Messages of chat i inside the bounds: the newest 5 (1-day span), or only the newest (the others are 6⅔+ days old). */
const keptOf = (i: number) => (longSpan(i) ? 1 : KEEP_PER_CHAT);
const unreadOf = (i: number) => i % 7;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

interface ChatItem {
  jid: string;
  name: string | null;
  unreadCount: number;
  lastMessageTimestamp: number;
  lastMessage: { id: string; text: string; fromMe: boolean; timestamp: number } | null;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: history sync at scale`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let store: Store;
    /** the sandbox's "now" for the history lies in this window (unix seconds) */
    let setBetween: [number, number];

    const get = async (path: string) => {
      const answer = await gw.request('GET', `/api/v1${path}${path.includes('?') ? '&' : '?'}sessionId=${SESSION}`);
      assert.equal(answer.status, 200, `${path}: ${JSON.stringify(answer.body).slice(0, 500)}`);
      return answer.body.results[0];
    };

    /** Every chat, page by page with limit/offset; checks each page's pagination on the way. */
    const walk = async (query: string, limit: number): Promise<ChatItem[]> => {
      const all: ChatItem[] = [];
      for (let offset = 0; ; offset += limit) {
        const page = await get(`/chats?limit=${limit}&offset=${offset}&${query}`);
        assert.deepEqual(page.pagination, { limit, offset, total: CHATS }, `pagination at offset ${offset}`);
        all.push(...page.data);
        if (page.data.length < limit) {
          assert.equal(offset + page.data.length, CHATS, 'the last page ends at the total');
          return all;
        }
        assert.ok(offset < CHATS, 'the walk ends');
      }
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb, { WAYGATE_HISTORY_DAYS: String(DAYS), WAYGATE_HISTORY_MESSAGES_PER_CHAT: String(KEEP_PER_CHAT) });
      await sb.ok('POST', '/sandbox/v1/accounts', { phone: PHONE, name: 'Hoarder' });
      const chats = range(CHATS).map((i) => ({
        with: peer(i),
        name: nameOf(i),
        messages: MESSAGES_PER_CHAT,
        spanDays: longSpan(i) ? 60 : 1,
        ageSeconds: 1 + i * STEP_SECONDS,
        unread: unreadOf(i)
      }));
      const start = Math.floor(Date.now() / 1000);
      const history = await sb.ok('POST', `/sandbox/v1/accounts/${PHONE}/history`, { chats });
      setBetween = [start, Math.ceil(Date.now() / 1000)];
      assert.deepEqual(history, { chats: CHATS, messages: CHATS * MESSAGES_PER_CHAT });
      await linkSession(gw, sb, SESSION, PHONE, 'Hoarder');
      // One history chunk is stored in one transaction: once the chats are all there, so are its messages.
      await eventually(async () => ((await get('/chats?limit=1')).pagination.total === CHATS ? true : undefined), {
        what: `${CHATS} history chats stored`,
        timeoutMs: 240_000,
        intervalMs: 500
      });
      store = await openDatabase({ url: db.url, dataDir: db.dataDir });
    });

    after(async () => {
      await store?.close();
      await gw?.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('every chat is stored with its messages inside the bounds: the newest 5 per chat, none older than 5 days', async () => {
      const cutoff = Math.floor(Date.now() / 1000) - DAYS * 86_400;
      const { rows } = await sql<{ chat_jid: string; n: number | string; oldest: number | string; newest: number | string }>`
        select chat_jid, count(*) as n, min(timestamp) as oldest, max(timestamp) as newest
        from messages where session_id = ${SESSION} group by chat_jid`.execute(store.db);
      const stored = new Map(rows.map((r) => [r.chat_jid, { n: Number(r.n), oldest: Number(r.oldest), newest: Number(r.newest) }]));
      assert.equal(stored.size, CHATS, 'every chat has stored messages');
      let total = 0;
      for (const i of range(CHATS)) {
        const chat = stored.get(jidOf(i));
        assert.ok(chat, `messages of chat ${i}`);
        assert.equal(chat.n, keptOf(i), `chat ${i}: ${chat.n} messages stored`);
        assert.ok(chat.oldest >= cutoff, `chat ${i}: a message older than ${DAYS} days`);
        const newest = [setBetween[0] - 1 - i * STEP_SECONDS, setBetween[1] - 1 - i * STEP_SECONDS];
        assert.ok(chat.newest >= newest[0]! && chat.newest <= newest[1]!, `chat ${i}: the newest message is the one stored`);
        total += chat.n;
      }
      assert.equal(total, (CHATS / 2) * (KEEP_PER_CHAT + 1));
      const counted = await store.db.selectFrom('chats').select((eb) => eb.fn.countAll<number>().as('n')).where('session_id', '=', SESSION).executeTakeFirstOrThrow();
      assert.equal(Number(counted.n), CHATS);
    });

    test('the chat list pages through all 2,000 chats by last message, newest first, with no duplicate or gap', async () => {
      const chats = await walk('sortBy=lastMessage&sortOrder=desc', 77);
      assert.equal(new Set(chats.map((c) => c.jid)).size, CHATS, 'no duplicates');
      // Chat i's last message is 60·i s older than chat 0's: the order is exactly 0, 1, 2, …
      assert.deepEqual(chats.map((c) => c.jid), range(CHATS).map(jidOf));
      const times = chats.map((c) => c.lastMessageTimestamp);
      assert.ok(times.every((t, k) => k === 0 || t < times[k - 1]!), 'lastMessageTimestamp strictly descending');
      for (const [k, chat] of chats.entries()) {
        assert.equal(chat.name, nameOf(k));
        assert.equal(chat.unreadCount, unreadOf(k));
        assert.equal(chat.lastMessage?.text, `history ${MESSAGES_PER_CHAT} with ${nameOf(k)}`, `chat ${k}'s last message`);
        assert.equal(chat.lastMessage?.timestamp, chat.lastMessageTimestamp);
      }
      const ascending = await walk('sortBy=lastMessage&sortOrder=asc', 500);
      assert.deepEqual(ascending.map((c) => c.jid), range(CHATS).map(jidOf).reverse());
    });

    test('sorted by unread count: highest first, ties by last message, every chat once', async () => {
      const chats = await walk('sortBy=unreadCount&sortOrder=desc', 133);
      const expected = range(CHATS).sort((a, b) => unreadOf(b) - unreadOf(a) || a - b).map(jidOf);
      assert.deepEqual(chats.map((c) => c.jid), expected);
      assert.ok(chats.every((c, k) => k === 0 || c.unreadCount <= chats[k - 1]!.unreadCount));
      assert.equal(chats[0]!.unreadCount, 6);
      assert.equal(chats.at(-1)!.unreadCount, 0);
    });

    test('a chat’s messages come back newest first, as stored, and page', async () => {
      for (const i of [0, 1, 2, 777, 1000, 1998, 1999]) {
        const kept = keptOf(i);
        const result = await get(`/chats/${peer(i)}/messages?limit=50`);
        assert.equal(result.chatInfo.jid, jidOf(i));
        assert.equal(result.pagination.total, kept, `chat ${i}`);
        const bodies = result.data.map((m: any) => m.body);
        assert.deepEqual(bodies, range(kept).map((k) => `history ${MESSAGES_PER_CHAT - k} with ${nameOf(i)}`), `chat ${i}'s messages in order`);
        const times = result.data.map((m: any) => m.timestamp as number);
        // 10 messages over 1 day: 86,400 / 9 = 9,600 s apart.
        assert.ok(times.every((t: number, k: number) => k === 0 || times[k - 1] - t === 9_600), `chat ${i}'s timestamps: ${times}`);
        // Received and sent alternate, newest received.
        assert.deepEqual(result.data.map((m: any) => m.fromMe), range(kept).map((k) => k % 2 === 1));
        if (kept > 1) {
          const paged = [];
          for (let offset = 0; offset < kept; offset += 2) paged.push(...(await get(`/chats/${peer(i)}/messages?limit=2&offset=${offset}`)).data);
          assert.deepEqual(paged.map((m: any) => m.id), result.data.map((m: any) => m.id), `chat ${i} paged`);
        }
      }
    });
  });
}
