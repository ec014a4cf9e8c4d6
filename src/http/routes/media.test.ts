// GET /api/v1/media/:id through Fastify: the bytes with their headers for a key allowed on the receiving session,
// a signed link without any key, expired and tampered links (403), other people's files and unknown ids (404).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AuthResolver, Principal } from '../../core/auth/principal.js';
import { inboundRecord, MediaLibrary, sha256Hex } from '../../core/media-store/media-library.js';
import { FileMediaStorage } from '../../core/media-store/storage.js';
import { SessionAccess } from '../../core/sessions/session-access.js';
import type { InboundMedia } from '../../engine/types.js';
import type { Store } from '../../store/open-database.js';
import { createApiKey } from '../../store/repos/api-keys.js';
import { createSession } from '../../store/repos/sessions.js';
import { TEST_DIALECTS, openTestStore } from '../../store/testing.js';
import { testApp } from '../testing.js';
import { contentDisposition, mediaRoutes } from './media.js';

const silent = { info() {}, warn() {}, error() {} };
const TTL = 600;

function inbound(bytes: Buffer, fileName: string | null): InboundMedia {
  return {
    kind: 'document', mimetype: 'application/pdf', fileName, size: bytes.length, sha256: sha256Hex(bytes),
    seconds: null, voiceNote: false, gifPlayback: false, viewOnce: false,
  };
}

describe('content disposition', () => {
  it('quotes plain names and falls back to ASCII with the UTF-8 name for the rest', () => {
    assert.equal(contentDisposition('report.pdf'), 'inline; filename="report.pdf"');
    assert.equal(contentDisposition('a"b\\c\r\n.pdf'), `inline; filename="a_b_c__.pdf"; filename*=UTF-8''a%22b%5Cc%0D%0A.pdf`);
    assert.equal(contentDisposition('façade (1).pdf'), `inline; filename="fa_ade (1).pdf"; filename*=UTF-8''fa%C3%A7ade%20%281%29.pdf`);
  });
});

for (const dialect of TEST_DIALECTS) {
  describe(`${dialect}: media route`, () => {
    let store: Store;
    let dataDir: string;
    let app: FastifyInstance;
    let library: MediaLibrary;
    const keys = new Map<string, Principal>([['admin-key', { kind: 'admin' }]]);
    const bytes = Buffer.from('%PDF-1.4 alice statement');
    const id = sha256Hex(bytes);

    const auth: AuthResolver = {
      resolveApiKey: async (raw) => keys.get(raw) ?? null,
      resolveSessionToken: async (instanceId, token) => (token === `token-${instanceId}` ? { kind: 'session', sessionId: instanceId } : null),
    };
    const makeLibrary = (now?: () => number) =>
      new MediaLibrary({
        db: store.db,
        storage: new FileMediaStorage(dataDir),
        sessions: new SessionAccess(store.db, { runtime: () => undefined }),
        baseUrl: () => 'http://gateway.test',
        urlTtlSeconds: TTL,
        logger: silent,
        now,
      });
    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
    /** The path and query of a signed link made by `signer`. */
    const signedPath = async (signer: MediaLibrary, fileId = id) => {
      const url = new URL((await signer.payload(inbound(bytes, null), fileId)).url);
      return `${url.pathname}${url.search}`;
    };

    before(async () => {
      store = await openTestStore(dialect);
      dataDir = await mkdtemp(join(tmpdir(), 'waygate-media-route-'));
      const alice = await createApiKey(store.db, { name: 'alice', keyHash: 'a'.repeat(64) });
      const bob = await createApiKey(store.db, { name: 'bob', keyHash: 'b'.repeat(64) });
      keys.set('alice-key', { kind: 'user', keyId: alice.id });
      keys.set('bob-key', { kind: 'user', keyId: bob.id });
      await createSession(store.db, { id: 'a1', ownerKeyId: alice.id });
      await createSession(store.db, { id: 'b1', ownerKeyId: bob.id });
      library = makeLibrary();
      const record = inboundRecord({ sessionId: 'a1', chat: '15550002222@s.whatsapp.net', messageId: 'M1', media: inbound(bytes, 'statement "2026".pdf') });
      assert.ok(record);
      await library.saveDownload(record, async () => bytes);
      ({ app } = await testApp({ auth, registerRoutes: [{ routes: mediaRoutes(library) }] }));
    });
    after(async () => {
      await app.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    it('answers the bytes with their headers to an API key', async () => {
      const response = await get(`/api/v1/media/${id}`, { 'x-warest-api-key': 'admin-key' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.rawPayload, bytes);
      assert.equal(response.headers['content-type'], 'application/pdf');
      assert.equal(response.headers['content-length'], String(bytes.length));
      assert.equal(response.headers['content-disposition'], `inline; filename="statement _2026_.pdf"; filename*=UTF-8''statement%20%222026%22.pdf`);
      assert.equal(response.headers['cache-control'], 'private, max-age=3600');
      assert.equal(response.headers.etag, `"${id}"`);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['content-security-policy'], 'sandbox');
    });

    it("serves the receiving session's owner and token; another user's key gets 404", async () => {
      assert.equal((await get(`/api/v1/media/${id}`, { 'x-warest-api-key': 'alice-key' })).statusCode, 200);
      assert.equal((await get(`/api/v1/media/${id}?instance_id=a1&access_token=token-a1`)).statusCode, 200);
      for (const response of [
        await get(`/api/v1/media/${id}`, { 'x-warest-api-key': 'bob-key' }),
        await get(`/api/v1/media/${id}?instance_id=b1&access_token=token-b1`),
      ]) {
        assert.equal(response.statusCode, 404);
        assert.deepEqual(response.json(), { status: false, code: 2605, message: `Media ${id} not found`, results: [] });
      }
    });

    it('answers 404 for an unknown id and 401 without credentials', async () => {
      const unknown = await get(`/api/v1/media/${'0'.repeat(64)}`, { 'x-warest-api-key': 'admin-key' });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, 2605);
      assert.equal((await get(`/api/v1/media/not-a-hash`, { 'x-warest-api-key': 'admin-key' })).statusCode, 404);
      const anonymous = await get(`/api/v1/media/${id}`);
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(anonymous.json(), { error: 'Missing X-WAREST-API-KEY' });
    });

    it('serves a signed link without a key, cacheable until it expires', async () => {
      const response = await get(await signedPath(library));
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.rawPayload, bytes);
      const maxAge = Number(/max-age=(\d+)/.exec(String(response.headers['cache-control']))?.[1]);
      assert.ok(maxAge > TTL - 5 && maxAge <= TTL, `max-age ${maxAge}`);
    });

    it('refuses an expired or tampered link with 403, and needs a key when only half a link is given', async () => {
      const expired = await get(await signedPath(makeLibrary(() => Date.now() - 2 * TTL * 1000)));
      assert.equal(expired.statusCode, 403);
      assert.equal(expired.json().code, 2201);
      assert.match(expired.json().message, /expired at/);

      const link = await signedPath(library);
      const tampered = await get(link.replace(/signature=(.)/, (_, c: string) => `signature=${c === '0' ? '1' : '0'}`));
      assert.equal(tampered.statusCode, 403);
      assert.match(tampered.json().message, /signature does not match/);
      const otherFile = await get(link.replace(id, 'f'.repeat(64)));
      assert.equal(otherFile.statusCode, 403);

      const half = await get(link.replace(/&signature=[0-9a-f]+/, ''));
      assert.equal(half.statusCode, 401);
    });

    it('documents the route with its parameters and the signed-link query', async () => {
      const doc = (await get('/docs/json')).json();
      const operation = doc.paths['/api/v1/media/{id}'].get;
      const parameters = operation.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort();
      assert.deepEqual(parameters, ['path:id', 'query:expires', 'query:signature']);
      assert.deepEqual(operation.security.at(-1), {}, 'a signed link needs no key');
    });
  });
}
