// Chats (core) against the typed fake engine: checks come before WhatsApp is asked, a refused change stores
// nothing, mark read sends receipts for exactly the unread messages, clear deletes the chat's messages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEngineSession } from '../../engine/testing/fake-engine.js';
import type { Store } from '../../store/open-database.js';
import { findChat, recordChatMessage } from '../../store/repos/chats.js';
import { findMessage, insertMessage } from '../../store/repos/messages.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../../store/testing.js';
import { GatewayError, type AppCodeName } from '../errors.js';
import { storedMessageRow } from '../messages/message-rows.js';
import { SessionAccess } from '../sessions/session-access.js';
import { SessionRuntime } from '../sessions/session-runtime.js';
import { Chats } from './chats.js';

const silent = { info() {}, warn() {}, error() {} };
const BOB = '15550000002@s.whatsapp.net';
const refused = (code: AppCodeName) => (err: unknown) => err instanceof GatewayError && err.code === code;

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: chats (core)`, () => {
    let store: Store;
    let engine: FakeEngineSession;
    let chats: Chats;
    const command = (chat = BOB) => ({ principal: { kind: 'admin' as const }, session: { sessionId: 's1' }, chat });
    const receive = async (id: string, timestamp: number) => {
      await insertMessage(store.db, storedMessageRow('full', 's1', { id, chat: BOB, fromMe: false, type: 'text', text: id, quotedId: null, mentions: [], mediaId: null, timestamp, status: 'received', raw: null })!);
      await recordChatMessage(store.db, 's1', { chat: BOB, id, fromMe: false, timestamp, media: false });
    };
    const chatEvents = () => store.db.selectFrom('outbox').select('payload').where('event', '=', 'chat.update').execute();

    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 's1');
      engine = new FakeEngineSession({ sessionId: 's1', status: 'STOPPED' });
      const runtime = new SessionRuntime('s1', engine, store.db, silent);
      await engine.start();
      await runtime.flush();
      chats = new Chats({ db: store.db, access: new SessionAccess(store.db, { runtime: () => runtime }) });
      for (const [i, id] of ['M1', 'M2', 'M3', 'M4'].entries()) await receive(id, 1_700_000_000 + i);
    });
    after(() => store.close());

    it('refuses bad values and unknown chats before asking WhatsApp', async () => {
      await assert.rejects(chats.mute(command(), 0), refused('INVALID_PARAMETER'));
      await assert.rejects(chats.mute(command(), 43_201), refused('INVALID_PARAMETER'));
      await assert.rejects(chats.archive(command('15559999999@s.whatsapp.net'), true), refused('CHAT_NOT_FOUND'));
      await assert.rejects(chats.pin(command('abc@newsletter'), true), refused('INVALID_PARAMETER'));
      await assert.rejects(chats.read(command(), 501), refused('INVALID_PARAMETER'));
      await assert.rejects(chats.messages(command(), { limit: 10, offset: 0, from: 2, to: 1 }), refused('INVALID_PARAMETER'));
      assert.equal(engine.chatCalls.length, 0);
    });

    it('a change WhatsApp refuses stores nothing and announces nothing', async () => {
      engine.failNext('chats.archive', 403);
      await assert.rejects(chats.archive(command(), true), /403/);
      assert.equal((await findChat(store.db, 's1', BOB))?.archived, 0);
      assert.equal((await chatEvents()).length, 0);
    });

    it('mark read: receipts for the unread messages only, then the chat read everywhere', async () => {
      await chats.read(command(), 0);
      const receipts = engine.messageCalls.filter((c) => c.command === 'read');
      assert.deepEqual(receipts.flatMap((c) => (c.command === 'read' ? c.keys.map((k) => k.id) : [])), ['M1', 'M2', 'M3', 'M4']);
      const mark = engine.chatCalls.find((c) => c.command === 'markRead');
      assert.deepEqual([mark?.value, mark?.last?.key.id], [true, 'M4']);
      assert.equal((await findChat(store.db, 's1', BOB))?.unread_count, 0);
      await receive('M5', 1_700_000_010);
      const again = await chats.read(command(), 0);
      assert.deepEqual(again.marked?.map((m) => m.id), ['M5']);
      assert.equal((await chatEvents()).length, 2, 'one chat.update per read');
    });

    it('archive, mute and clear reach the engine and the store', async () => {
      const archived = await chats.archive(command(), true);
      assert.equal(archived.state.archived, true);
      const muted = await chats.mute(command(), 60);
      assert.ok(muted.state.mutedUntil! > Date.now() + 59 * 60_000);
      assert.deepEqual(engine.chatCalls.slice(-2).map((c) => c.command), ['archive', 'mute']);
      const cleared = await chats.clear(command());
      assert.equal(cleared.deleted, 5);
      assert.equal(await findMessage(store.db, 's1', 'M1'), undefined);
      assert.ok(await findChat(store.db, 's1', BOB));
    });
  });
}
