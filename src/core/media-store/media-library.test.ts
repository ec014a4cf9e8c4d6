// MediaLibrary: content-addressed storage, received files recorded with their message, signed links (valid,
// expired, tampered; one key per database), who may fetch what, on-demand downloads through the source session
// (checked against the SHA-256, shared when concurrent, refused when the message or the session is gone), and
// the background downloader.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineRemoteError } from '../../engine/errors.js';
import type { EngineSession } from '../../engine/port.js';
import { TypedEmitter } from '../../engine/typed-emitter.js';
import type { EngineEventMap, EngineMessage, InboundMedia } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import type { Store } from '../../store/open-database.js';
import { createApiKey } from '../../store/repos/api-keys.js';
import { getMedia } from '../../store/repos/media.js';
import { createSession } from '../../store/repos/sessions.js';
import { getSetting } from '../../store/repos/settings.js';
import { TEST_DIALECTS, openTestStore } from '../../store/testing.js';
import { transaction } from '../../store/transaction.js';
import type { Principal } from '../auth/principal.js';
import { GatewayError, type AppCodeName } from '../errors.js';
import { SessionAccess } from '../sessions/session-access.js';
import { SessionRuntime } from '../sessions/session-runtime.js';
import { BoundedQueue } from './bounded-queue.js';
import { MediaLibrary, sha256Hex } from './media-library.js';
import { mediaDownloader } from './media-downloader.js';
import { FileMediaStorage } from './storage.js';

const silent = { info() {}, warn() {}, error() {} };
const ADMIN: Principal = { kind: 'admin' };
const BASE = 'https://gw.example';
const T0 = 1_800_000_000_000;

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Background work finishes in its own time (slower on a loaded machine): wait for it, up to 10 s. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let tries = 0; tries < 500; tries++) {
    if (await check()) return;
    await settle();
  }
  assert.fail('background work did not finish within 10 s');
}

function refused(code: AppCodeName, message?: RegExp) {
  return (err: unknown) => err instanceof GatewayError && err.code === code && (!message || message.test(err.message));
}

/** The parts of an engine session media needs: events, and downloads answered from `files` by the raw's `file`. */
class StubEngine {
  readonly events = new TypedEmitter<EngineEventMap>((_, error) => {
    throw error;
  });
  readonly files = new Map<string, Buffer>();
  downloads = 0;
  failure: Error | null = null;
  readonly messages = {
    downloadMedia: async (raw: unknown): Promise<Buffer> => {
      this.downloads++;
      if (this.failure) throw this.failure;
      const bytes = this.files.get((raw as { file: string }).file);
      if (!bytes) throw new Error('no such file');
      return bytes;
    },
  };
  readonly me = null;
  constructor(readonly sessionId: string) {}
}

function inbound(bytes: Buffer, patch: Partial<InboundMedia> = {}): InboundMedia {
  return {
    kind: 'image', mimetype: 'image/jpeg', fileName: 'cat.jpg', size: bytes.length, sha256: sha256Hex(bytes),
    seconds: null, voiceNote: false, gifPlayback: false, viewOnce: false, ...patch,
  };
}

async function storeMessage(db: Db, sessionId: string, id: string, raw: string | null, chat = '15550002222@s.whatsapp.net') {
  await db
    .insertInto('messages')
    .values({ session_id: sessionId, chat_jid: chat, id, from_me: 0, type: 'image', timestamp: 1, status: 'received', starred: 0, raw, created_at: 1 })
    .execute();
}

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: media library`, () => {
    let store: Store;
    let dataDir: string;
    let now: number;
    let library: MediaLibrary;
    let alice: Principal;
    let bob: Principal;
    const engines = new Map<string, StubEngine>();
    const runtimes = new Map<string, SessionRuntime>();
    const chat = '15550002222@s.whatsapp.net';

    const makeLibrary = (ttl = 600) =>
      new MediaLibrary({
        db: store.db,
        storage: new FileMediaStorage(dataDir),
        sessions: new SessionAccess(store.db, { runtime: (id) => runtimes.get(id) }),
        baseUrl: () => BASE,
        urlTtlSeconds: ttl,
        logger: silent,
        now: () => now,
      });

    async function running(id: string): Promise<StubEngine> {
      const engine = new StubEngine(id);
      const runtime = new SessionRuntime(id, engine as unknown as EngineSession, store.db, silent);
      engine.events.emit('status', { status: 'WORKING', me: { id: '15550001111@s.whatsapp.net', lid: null, name: null } });
      await runtime.flush();
      engines.set(id, engine);
      runtimes.set(id, runtime);
      return engine;
    }

    /** A received file: recorded with its stored message, its bytes known to the session's engine only. */
    async function received(sessionId: string, messageId: string, bytes: Buffer): Promise<string> {
      await storeMessage(store.db, sessionId, messageId, JSON.stringify({ file: messageId }));
      engines.get(sessionId)?.files.set(messageId, bytes);
      const id = await transaction(store.db, (trx) => library.recordInbound(trx, { sessionId, chat, messageId, media: inbound(bytes) }));
      assert.ok(id);
      return id;
    }

    before(async () => {
      store = await openTestStore(dialect);
      dataDir = await mkdtemp(join(tmpdir(), 'waygate-media-'));
      const aliceKey = await createApiKey(store.db, { name: 'alice', keyHash: 'a'.repeat(64) });
      const bobKey = await createApiKey(store.db, { name: 'bob', keyHash: 'b'.repeat(64) });
      alice = { kind: 'user', keyId: aliceKey.id };
      bob = { kind: 'user', keyId: bobKey.id };
      await createSession(store.db, { id: 'a1', ownerKeyId: aliceKey.id });
      await createSession(store.db, { id: 'a-off', ownerKeyId: aliceKey.id });
      await createSession(store.db, { id: 'b1', ownerKeyId: bobKey.id });
      await running('a1');
      await running('b1');
    });
    beforeEach(() => {
      now = T0;
      library = makeLibrary();
    });
    after(async () => {
      for (const runtime of runtimes.values()) await runtime.dispose();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('stores bytes by their SHA-256, once, under media/<2 hex>/<id>', async () => {
      const bytes = Buffer.from('outbound file');
      const stored = await library.storeBytes(bytes, { mimetype: 'text/plain', fileName: 'a.txt' });
      assert.deepEqual(stored, { id: createHash('sha256').update(bytes).digest('hex'), mimetype: 'text/plain', size: bytes.length });
      assert.deepEqual(await library.storeBytes(bytes, { mimetype: 'text/plain', fileName: 'a.txt' }), stored);
      assert.deepEqual(await library.read(stored.id), bytes);
      assert.deepEqual(await readdir(join(dataDir, 'media', stored.id.slice(0, 2))), [stored.id]);
      const row = await getMedia(store.db, stored.id);
      assert.equal(row?.stored, true);
      assert.equal(row?.source, null);
      assert.equal(await library.read('f'.repeat(64)), null);
    });

    it('refuses storage ids that are not content addresses', async () => {
      const storage = new FileMediaStorage(dataDir);
      for (const id of ['../etc/passwd', 'A'.repeat(64), 'a'.repeat(63)]) {
        await assert.rejects(storage.put(id, Buffer.from('x')), /not a media id/);
      }
    });

    it('records a received file (not stored) with its message, only when its SHA-256 is known', async () => {
      const bytes = Buffer.from('received-1');
      const upper = inbound(bytes, { sha256: sha256Hex(bytes).toUpperCase() });
      const id = await transaction(store.db, (trx) => library.recordInbound(trx, { sessionId: 'a1', chat, messageId: 'R1', media: upper }));
      assert.equal(id, sha256Hex(bytes));
      const row = await getMedia(store.db, sha256Hex(bytes));
      assert.equal(row?.stored, false);
      assert.deepEqual(row?.source, { sessionId: 'a1', chat, messageId: 'R1' });
      assert.equal(await library.recordInbound(store.db, { sessionId: 'a1', chat, messageId: 'R2', media: inbound(bytes, { sha256: null }) }), null);
      assert.equal(await library.recordInbound(store.db, { sessionId: 'a1', chat, messageId: 'R3', media: inbound(bytes, { sha256: 'zz' }) }), null);
    });

    it('describes a file with a signed link that expires, and refuses tampered ones', async () => {
      const bytes = Buffer.from('linked');
      const id = sha256Hex(bytes);
      // Signed inside the reducer's transaction, as the message reducer does (SQLite: one connection).
      const payload = await transaction(store.db, (trx) => library.payload(inbound(bytes, { kind: 'audio', voiceNote: true, seconds: 7 }), id, trx));
      const url = new URL(payload.url);
      assert.equal(`${url.origin}${url.pathname}`, `${BASE}/api/v1/media/${id}`);
      const expires = url.searchParams.get('expires')!;
      const signature = url.searchParams.get('signature')!;
      assert.equal(Number(expires), T0 / 1000 + 600);
      assert.match(signature, /^[0-9a-f]{64}$/);
      assert.deepEqual({ ...payload, url: undefined }, { id, mimetype: 'image/jpeg', size: bytes.length, fileName: 'cat.jpg', seconds: 7, voiceNote: true, url: undefined });

      assert.equal(await library.verify(id, expires, signature), 'valid');
      const flipped = `${signature[0] === '0' ? '1' : '0'}${signature.slice(1)}`;
      assert.equal(await library.verify(id, expires, flipped), 'invalid');
      assert.equal(await library.verify(id, String(Number(expires) + 1), signature), 'invalid');
      assert.equal(await library.verify('f'.repeat(64), expires, signature), 'invalid');
      assert.equal(await library.verify(id, 'soon', signature), 'invalid');
      assert.equal(await library.verify(id, expires, 'abc'), 'invalid');

      // Another node (or a restart) over the same database signs with the same key.
      const other = makeLibrary();
      assert.equal(await other.verify(id, expires, signature), 'valid');
      assert.match((await getSetting(store.db, 'media.signing-key')) ?? '', /^[0-9a-f]{64}$/);

      now = T0 + 600_000;
      assert.equal(await library.verify(id, expires, signature), 'expired');
    });

    it('lets the admin, the owner and the session fetch a received file; others get 404', async () => {
      const bytes = Buffer.from('alice received this');
      const id = await received('a1', 'F1', bytes);
      for (const principal of [ADMIN, alice, { kind: 'session', sessionId: 'a1' } as Principal]) {
        const file = await library.fetch(id, principal);
        assert.deepEqual(file, { id, bytes, mimetype: 'image/jpeg', fileName: 'cat.jpg' });
      }
      for (const principal of [bob, { kind: 'session', sessionId: 'b1' } as Principal, null]) {
        await assert.rejects(library.fetch(id, principal), refused('MEDIA_NOT_FOUND'));
      }
      const outbound = await library.storeBytes(Buffer.from('to send'), { mimetype: 'text/plain', fileName: null });
      await assert.rejects(library.fetch(outbound.id, alice), refused('MEDIA_NOT_FOUND'), 'a file with no source is the admin\'s');
      assert.deepEqual((await library.fetch(outbound.id, ADMIN)).bytes, Buffer.from('to send'));
      await assert.rejects(library.fetch('e'.repeat(64), ADMIN), refused('MEDIA_NOT_FOUND'));
      await assert.rejects(library.fetch('../../secret', ADMIN), refused('MEDIA_NOT_FOUND'));
    });

    it('downloads a file on first request through its session, stores it, and serves it from storage after', async () => {
      const bytes = Buffer.from('on demand');
      const id = await received('a1', 'D1', bytes);
      const engine = engines.get('a1')!;
      const before = engine.downloads;
      const [first, second] = await Promise.all([library.fetch(id, alice), library.fetch(id.toUpperCase(), ADMIN)]);
      assert.deepEqual(first.bytes, bytes);
      assert.deepEqual(second.bytes, bytes);
      assert.equal(engine.downloads - before, 1, 'concurrent requests share one download');
      assert.equal((await getMedia(store.db, id))?.stored, true);
      assert.deepEqual(await library.read(id), bytes);
      now = T0 + 5_000;
      await library.fetch(id, alice);
      assert.equal(engine.downloads - before, 1);
      assert.equal((await getMedia(store.db, id))?.lastUsedAt, T0 + 5_000);
    });

    it('refuses a download that is not the announced file, and stores nothing', async () => {
      const bytes = Buffer.from('announced');
      const id = await received('a1', 'X1', bytes);
      engines.get('a1')!.files.set('X1', Buffer.from('something else'));
      await assert.rejects(library.fetch(id, alice), refused('MEDIA_DOWNLOAD_FAILED', /another SHA-256/));
      assert.equal(await library.read(id), null);
      assert.equal((await getMedia(store.db, id))?.stored, false);
    });

    it('explains why a file cannot be downloaded: message gone or kept without content, WhatsApp expired it, session offline', async () => {
      const gone = Buffer.from('message deleted');
      const goneId = await library.recordInbound(store.db, { sessionId: 'a1', chat, messageId: 'G1', media: inbound(gone) });
      await assert.rejects(library.fetch(goneId!, alice), refused('MEDIA_NOT_AVAILABLE', /no longer stored/));

      const keysOnly = Buffer.from('keys retention');
      await storeMessage(store.db, 'a1', 'K1', null);
      const keysId = await library.recordInbound(store.db, { sessionId: 'a1', chat, messageId: 'K1', media: inbound(keysOnly) });
      await assert.rejects(library.fetch(keysId!, alice), refused('MEDIA_NOT_AVAILABLE', /without its content/));

      const expired = await received('a1', 'E1', Buffer.from('expired at WhatsApp'));
      const engine = engines.get('a1')!;
      engine.failure = new EngineRemoteError(410, 'gone', 'downloadMedia');
      try {
        await assert.rejects(library.fetch(expired, alice), refused('MEDIA_NOT_AVAILABLE', /WhatsApp no longer has/));
        engine.failure = new Error('socket hang up');
        await assert.rejects(library.fetch(expired, alice), refused('MEDIA_DOWNLOAD_FAILED', /retry later/));
      } finally {
        engine.failure = null;
      }

      const offline = Buffer.from('session offline');
      await storeMessage(store.db, 'a-off', 'O1', JSON.stringify({ file: 'O1' }));
      const offlineId = await library.recordInbound(store.db, { sessionId: 'a-off', chat, messageId: 'O1', media: inbound(offline) });
      await assert.rejects(library.fetch(offlineId!, alice), refused('SESSION_NOT_LOGGED_IN', /through session "a-off".*not connected/));
    });

    it('serves a signed link without a principal; expired and forged links are 403', async () => {
      const bytes = Buffer.from('signed fetch');
      const id = await received('b1', 'S1', bytes);
      const url = new URL((await library.payload(inbound(bytes), id)).url);
      const expires = url.searchParams.get('expires')!;
      const signature = url.searchParams.get('signature')!;
      assert.deepEqual((await library.fetchSigned(id, expires, signature)).bytes, bytes);
      await assert.rejects(library.fetchSigned(id, expires, 'f'.repeat(64)), refused('FORBIDDEN', /signature does not match/));
      const other = await received('b1', 'S2', Buffer.from('another file'));
      await assert.rejects(library.fetchSigned(other, expires, signature), refused('FORBIDDEN'), 'a link names one file');
      now = T0 + 601_000;
      await assert.rejects(library.fetchSigned(id, expires, signature), refused('FORBIDDEN', /expired at/));
    });

    describe('background downloads', () => {
      const message = (id: string, media: InboundMedia | null): EngineMessage => ({
        id, chat, sender: { jid: chat, lid: null, pn: chat }, fromMe: false, timestamp: 1, type: 'image', text: null, pushName: null,
        quotedId: null, mentions: [], forwarded: false, media, raw: { file: id },
      });

      it('stores received files up to the size limit, records them, and skips larger ones and unknown sizes', async () => {
        const engine = engines.get('b1')!;
        const detach = mediaDownloader(library, { autoDownloadBytes: 100, logger: silent })(runtimes.get('b1')!, () => {});
        try {
          const small = Buffer.from('small picture');
          const large = Buffer.alloc(101, 1);
          const unknown = Buffer.from('size not announced');
          for (const [id, bytes] of [['B1', small], ['B2', large], ['B3', unknown]] as const) engine.files.set(id, bytes);
          engine.events.emit('message', message('B1', inbound(small)));
          engine.events.emit('message', message('B2', inbound(large)));
          engine.events.emit('message', message('B3', inbound(unknown, { size: null })));
          engine.events.emit('message', message('B4', null));
          await until(async () => (await library.read(sha256Hex(small))) !== null);
          await settle();
          assert.deepEqual(await library.read(sha256Hex(small)), small);
          const row = await getMedia(store.db, sha256Hex(small));
          assert.equal(row?.stored, true);
          assert.deepEqual(row?.source, { sessionId: 'b1', chat, messageId: 'B1' });
          assert.equal(await library.read(sha256Hex(large)), null);
          assert.equal(await library.read(sha256Hex(unknown)), null);

          const downloads = engine.downloads;
          engine.events.emit('message', message('B1', inbound(small)));
          await settle();
          assert.equal(engine.downloads, downloads, 'a file already stored is not downloaded again');
        } finally {
          detach();
        }
      });

      it('logs failures and never throws; 0 turns it off', async () => {
        const engine = engines.get('b1')!;
        const warnings: string[] = [];
        const logger = { ...silent, warn: (_: unknown, msg?: string) => void warnings.push(msg ?? '') };
        const detach = mediaDownloader(library, { autoDownloadBytes: 100, logger })(runtimes.get('b1')!, () => {});
        const bytes = Buffer.from('will not match');
        engine.files.set('W1', Buffer.from('tampered'));
        engine.events.emit('message', message('W1', inbound(bytes)));
        await until(() => warnings.some((w) => /media download failed/.test(w)));
        detach();
        assert.equal(await library.read(sha256Hex(bytes)), null);
        assert.match(warnings.join('\n'), /media download failed/);

        const off = mediaDownloader(library, { autoDownloadBytes: 0, logger })(runtimes.get('b1')!, () => {});
        const skipped = Buffer.from('auto download off');
        engine.files.set('Z1', skipped);
        engine.events.emit('message', message('Z1', inbound(skipped)));
        await settle();
        off();
        assert.equal(await library.read(sha256Hex(skipped)), null);
      });

      it('leaves files beyond the waiting cap to on-demand fetching, saying so once', async () => {
        // Offered synchronously, one after another: the first is running, the second waits, the rest are refused.
        const engine = engines.get('b1')!;
        const warnings: string[] = [];
        const logger = { ...silent, warn: (_: unknown, msg?: string) => void warnings.push(msg ?? '') };
        const detach = mediaDownloader(library, { autoDownloadBytes: 100, logger, concurrency: 1, maxPending: 1 })(runtimes.get('b1')!, () => {});
        const files = ['Q1', 'Q2', 'Q3', 'Q4'].map((id) => [id, Buffer.from(`queued ${id}`)] as const);
        for (const [id, bytes] of files) {
          engine.files.set(id, bytes);
          engine.events.emit('message', message(id, inbound(bytes)));
        }
        const storedNow = () => Promise.all(files.map(async ([, bytes]) => (await library.read(sha256Hex(bytes))) !== null));
        // The refused ones were refused as they were offered; the two accepted ones finish in their own time.
        await until(async () => (await storedNow()).slice(0, 2).every(Boolean));
        detach();
        assert.deepEqual(await storedNow(), [true, true, false, false]);
        assert.equal(warnings.filter((w) => /too many media downloads/.test(w)).length, 1);
      });
    });
  });
}

describe('bounded queue', () => {
  it('runs up to its concurrency, holds up to its cap, refuses beyond, and drops the waiting on close', async () => {
    const queue = new BoundedQueue(1, 1);
    const ran: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    assert.equal(queue.offer(async () => { ran.push(1); await gate; }), true);
    assert.equal(queue.offer(async () => void ran.push(2)), true);
    assert.equal(queue.offer(async () => void ran.push(3)), false);
    release();
    await settle();
    assert.deepEqual(ran, [1, 2]);
    const blocking = new Promise<void>(() => {});
    queue.offer(() => blocking);
    queue.offer(async () => void ran.push(4));
    queue.close();
    assert.equal(queue.offer(async () => void ran.push(5)), false);
    await settle();
    assert.deepEqual(ran, [1, 2]);
  });
});
