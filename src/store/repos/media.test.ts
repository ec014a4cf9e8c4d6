import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../open-database.js';
import { TEST_DIALECTS, openTestStore, seedSession } from '../testing.js';
import {
  deleteMedia,
  getMedia,
  listMediaToPrune,
  markMediaStored,
  mediaSigningKey,
  recordMedia,
  sourceMessageRaw,
  touchMedia,
  type NewMedia,
} from './media.js';

const id = (digit: string) => digit.repeat(64);
const file = (fileId: string, patch: Partial<NewMedia> = {}): NewMedia => ({
  id: fileId,
  mimetype: 'image/jpeg',
  size: 1234,
  fileName: 'cat.jpg',
  source: { sessionId: 's1', chat: '15550001111@s.whatsapp.net', messageId: 'M1' },
  ...patch,
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: media`, () => {
    let store: Store;
    before(async () => {
      store = await openTestStore(dialect);
      await seedSession(store.db, 's1');
    });
    after(() => store.close());

    it('records a file once: the first type, name and source stay, a later receipt counts as a use', async () => {
      await recordMedia(store.db, file(id('a')), 1_000);
      await recordMedia(store.db, file(id('a'), { mimetype: 'image/png', fileName: 'other.png', source: { sessionId: 's2', chat: 'c', messageId: 'M2' } }), 5_000);
      assert.deepEqual(await getMedia(store.db, id('a')), {
        id: id('a'),
        mimetype: 'image/jpeg',
        size: 1234,
        fileName: 'cat.jpg',
        stored: false,
        source: { sessionId: 's1', chat: '15550001111@s.whatsapp.net', messageId: 'M1' },
        createdAt: 1_000,
        lastUsedAt: 5_000,
      });
      assert.equal(await getMedia(store.db, id('f')), undefined);
    });

    it('gives a file without a source the first one it is received with', async () => {
      await recordMedia(store.db, file(id('b'), { source: null }), 1_000);
      assert.equal((await getMedia(store.db, id('b')))?.source, null);
      await recordMedia(store.db, file(id('b'), { source: { sessionId: 's1', chat: 'c1', messageId: 'M9' } }), 2_000);
      await recordMedia(store.db, file(id('b'), { source: { sessionId: 's1', chat: 'c2', messageId: 'M10' } }), 3_000);
      assert.deepEqual((await getMedia(store.db, id('b')))?.source, { sessionId: 's1', chat: 'c1', messageId: 'M9' });
    });

    it('marks a file stored', async () => {
      assert.equal(await markMediaStored(store.db, id('a')), true);
      assert.equal((await getMedia(store.db, id('a')))?.stored, true);
      assert.equal(await markMediaStored(store.db, id('e')), false);
    });

    it('touches forward only', async () => {
      await recordMedia(store.db, file(id('c')), 1_000);
      await touchMedia(store.db, id('c'), 9_000);
      await touchMedia(store.db, id('c'), 4_000);
      assert.equal((await getMedia(store.db, id('c')))?.lastUsedAt, 9_000);
    });

    it('lists files unused since a time, least recently used first, and deletes them unless used again', async () => {
      await recordMedia(store.db, file(id('1')), 100);
      await recordMedia(store.db, file(id('2')), 50);
      await recordMedia(store.db, file(id('3')), 200);
      const listed = await listMediaToPrune(store.db, 150, 10);
      assert.deepEqual(listed.map((m) => m.id), [id('2'), id('1')]);
      assert.deepEqual((await listMediaToPrune(store.db, 150, 1)).map((m) => m.id), [id('2')]);

      await touchMedia(store.db, id('1'), 300);
      assert.equal(await deleteMedia(store.db, id('1'), 150), false, 'used again since it was listed');
      assert.equal(await deleteMedia(store.db, id('2'), 150), true);
      assert.equal(await getMedia(store.db, id('2')), undefined);
      assert.equal(await deleteMedia(store.db, id('3')), true);
      assert.equal(await deleteMedia(store.db, id('3')), false);
    });

    it("reads the carrying message's raw: undefined when not stored, null when stored without content", async () => {
      const source = { sessionId: 's1', chat: '15550001111@s.whatsapp.net', messageId: 'M1' };
      assert.equal(await sourceMessageRaw(store.db, source), undefined);
      const message = {
        session_id: 's1', chat_jid: source.chat, from_me: 0 as const, type: 'image', timestamp: 1, status: 'received' as const, starred: 0 as const, created_at: 1,
      };
      await store.db.insertInto('messages').values({ ...message, id: 'M1', raw: '{"imageMessage":{}}' }).execute();
      await store.db.insertInto('messages').values({ ...message, id: 'M2', raw: null }).execute();
      assert.equal(await sourceMessageRaw(store.db, source), '{"imageMessage":{}}');
      assert.equal(await sourceMessageRaw(store.db, { ...source, messageId: 'M2' }), null);
    });

    it('keeps the first signing key stored', async () => {
      assert.equal(await mediaSigningKey(store.db, 'k1'), 'k1');
      assert.equal(await mediaSigningKey(store.db, 'k2'), 'k1');
    });
  });
}
