// Profile end to end through the HTTP API against the sandbox: the own profile (about, name, business flag), the
// own picture set from a data URI and seen by another account, privacy settings as the phone set them, Check On
// WhatsApp for registered, unregistered and national numbers (PN and LID in the answer), business profiles, and
// the errors bad input gets. SQLite and PostgreSQL.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DIALECTS, TestDatabase, TestGateway, TestSandbox, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';

const ALICE = '15557770001';
const BOB = '15557770002';
const CAROL = '15557770003';
const NOBODY = '15557779999';
const SESSION = 'profile-alice';
const BOB_SESSION = 'profile-bob';
const PNG_URI = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: profile`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    const lids: Record<string, string> = {};

    const get = (path: string, query: Record<string, string> = {}, session = SESSION) =>
      gw.request('GET', `/api/v1/profile/${path}?${new URLSearchParams({ sessionId: session, ...query })}`);
    const ok = async (path: string, query: Record<string, string> = {}, session = SESSION) => {
      const answer = await get(path, query, session);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.results[0];
    };
    const setProfile = (phone: string, body: Record<string, unknown>) => sb.ok('POST', `/sandbox/v1/accounts/${phone}/profile`, body);

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb, { WAYGATE_DEFAULT_COUNTRY_CODE: '1', WAYGATE_MAX_CHECK_NUMBERS: '5' });
      const carol = await sb.ok<{ lid: string }>('POST', '/sandbox/v1/accounts', { phone: CAROL, name: 'Carol' });
      lids[CAROL] = carol.lid;
      await linkSession(gw, sb, SESSION, ALICE, 'Alice');
      await linkSession(gw, sb, BOB_SESSION, BOB, 'Bob');
      for (const phone of [ALICE, BOB]) lids[phone] = (await sb.ok<{ lid: string }>('GET', `/sandbox/v1/accounts/${phone}`)).lid;
    });

    after(async () => {
      await gw?.stop();
      await sb?.sandbox.stop();
      await db?.dispose();
    });

    test('profile info: own number, LID, name, about text as the phone set it, no picture, not a business', async () => {
      await setProfile(ALICE, { about: 'Out fishing' });
      const info = await ok('info');
      assert.equal(info.sessionId, SESSION);
      assert.equal(info.phone, ALICE);
      assert.equal(info.jid, `${ALICE}@s.whatsapp.net`);
      assert.equal(info.lid, lids[ALICE]);
      assert.equal(info.pushName, 'Alice');
      assert.equal(info.about, 'Out fishing');
      assert.equal(typeof info.aboutSetAt, 'number');
      assert.equal(info.isBusiness, false);
      assert.equal(info.businessProfile, null);
      assert.deepEqual(info.entries, { User: ALICE, Agent: 0, Device: null, Server: 's.whatsapp.net' });
      assert.deepEqual(info.profilePicture, { url: null, id: null, type: null, imgFull: null, imgPreview: null });
    });

    test('picture: set from a data URI, seen by another account, read, removed; privacy "none" hides it from others', async () => {
      const set = await gw.request('POST', '/api/v1/profile/picture', { body: { sessionId: SESSION, picture: PNG_URI } });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.message, 'Profile picture updated');
      const result = set.body.results[0];
      assert.equal(result.status, 'success update profile picture');
      assert.match(result.url, /^https:\/\//);
      assert.equal(result.type, 'image');
      const atPhone = await sb.ok('GET', `/sandbox/v1/accounts/${ALICE}/profile`);
      assert.equal(result.id, atPhone.picture.id, 'the id is WhatsApp’s picture id');
      assert.ok(atPhone.picture.bytes > 0);

      const read = await ok('picture');
      assert.deepEqual([read.id, read.type, typeof read.imgFull, typeof read.imgPreview], [atPhone.picture.id, 'image', 'string', 'string']);
      assert.equal((await ok('info')).pictureId, atPhone.picture.id);

      // Bob's session sees Alice's picture (deep lookup reads it through WhatsApp, as any contact would).
      const seen = await ok('on-whatsapp', { checkNumbers: ALICE, deep: 'true' }, BOB_SESSION);
      assert.match(seen.data.picture.full, /^https:\/\//);
      assert.equal(seen.data.about, 'Out fishing');

      await setProfile(ALICE, { privacy: { profile: 'none' } });
      assert.equal((await ok('on-whatsapp', { checkNumbers: ALICE, deep: 'true' }, BOB_SESSION)).data.picture.full, null, 'hidden from others');
      assert.equal(typeof (await ok('picture')).url, 'string', 'the owner still sees it');
      await setProfile(ALICE, { privacy: { profile: 'all' } });

      const removed = await gw.request('DELETE', '/api/v1/profile/picture', { body: { sessionId: SESSION } });
      assert.deepEqual([removed.status, removed.body.message, removed.body.results[0].status], [200, 'Profile picture removed', 'success remove profile picture']);
      assert.equal((await sb.ok('GET', `/sandbox/v1/accounts/${ALICE}/profile`)).picture, null);
      assert.equal((await ok('picture')).url, null);
      assert.equal((await ok('on-whatsapp', { checkNumbers: ALICE, deep: 'true' }, BOB_SESSION)).data.picture.full, null);
    });

    test('picture errors: not an image 415, missing 400, a file path 400, nothing changed', async () => {
      const post = (body: Record<string, unknown>) => gw.request('POST', '/api/v1/profile/picture', { body: { sessionId: SESSION, ...body } });
      const garbage = await post({ picture: `data:image/png;base64,${Buffer.from('not really a png at all').toString('base64')}` });
      assert.deepEqual([garbage.status, garbage.body.code], [415, 5502], JSON.stringify(garbage.body));
      const text = await post({ image: `data:text/plain;base64,${Buffer.from('hello').toString('base64')}` });
      assert.deepEqual([text.status, text.body.code], [415, 5502]);
      const corrupt = await post({ photo: `data:image/png;base64,${SMALL_PNG.subarray(0, 40).toString('base64')}` });
      assert.deepEqual([corrupt.status, corrupt.body.code], [415, 5502], JSON.stringify(corrupt.body));
      const missing = await post({});
      assert.deepEqual([missing.status, missing.body.code], [400, 2001]);
      assert.match(missing.body.message, /picture is required/);
      const path = await post({ avatar: '/etc/passwd' });
      assert.deepEqual([path.status, path.body.code], [400, 2002]);
      assert.equal((await sb.ok('GET', `/sandbox/v1/accounts/${ALICE}/profile`)).picture, null);
    });

    test('privacy settings as set on the phone', async () => {
      const defaults = await ok('privacy');
      assert.deepEqual([defaults.readReceipts, defaults.lastSeen, defaults.groupAdd], ['all', 'all', 'all']);
      await setProfile(ALICE, { privacy: { readreceipts: 'none', last: 'contacts', online: 'match_last_seen', groupadd: 'contact_blacklist' } });
      const privacy = await ok('privacy');
      assert.equal(privacy.phone, ALICE);
      assert.deepEqual(
        [privacy.readReceipts, privacy.lastSeen, privacy.online, privacy.groupAdd, privacy.profilePhoto, privacy.status, privacy.callAdd, privacy.messages],
        ['none', 'contacts', 'match_last_seen', 'contact_blacklist', 'all', 'all', 'all', 'all']
      );
      assert.equal(privacy.settings.readreceipts, 'none');
    });

    test('check on WhatsApp: registered, unregistered and national numbers in one request, PN and LID each', async () => {
      const answer = await ok('on-whatsapp', { checkNumbers: `${BOB}, +${NOBODY},0${CAROL.slice(1)},${CAROL}@c.us` });
      assert.equal(answer.sessionId, SESSION);
      const data = answer.data as any[];
      assert.deepEqual(
        data.map((d) => [d.input, d.phone, d.isOnWhatsApp, d.exists, d.jid, d.lid]),
        [
          [BOB, BOB, true, true, `${BOB}@s.whatsapp.net`, lids[BOB]],
          [`+${NOBODY}`, NOBODY, false, false, `${NOBODY}@s.whatsapp.net`, null],
          [`0${CAROL.slice(1)}`, CAROL, true, true, `${CAROL}@s.whatsapp.net`, lids[CAROL]]
        ],
        'de-duplicated: Carol once, under the first spelling'
      );
      // One number: WARest's single object under `data`; a repeat comes from the cache with the same answer.
      const single = await ok('on-whatsapp', { checkNumbers: BOB });
      assert.deepEqual([single.data.jid, single.data.lid, single.data.isOnWhatsApp], [`${BOB}@s.whatsapp.net`, lids[BOB], true]);
      const again = await ok('on-whatsapp', { checkNumbers: JSON.stringify([BOB]) });
      assert.deepEqual(again.data, single.data);
    });

    test('check on WhatsApp errors: malformed, a LID, over the cap, missing; unknown session 404, not connected 409', async () => {
      const bad = async (query: Record<string, string>, status: number, code: number, pattern: RegExp, session = SESSION) => {
        const answer = await get('on-whatsapp', query, session);
        assert.deepEqual([answer.status, answer.body.code], [status, code], JSON.stringify(answer.body));
        assert.match(answer.body.message, pattern);
      };
      await bad({ checkNumbers: `${BOB},hello` }, 400, 2002, /checkNumbers\[1\] "hello" has no digits/);
      await bad({ checkNumbers: lids[BOB]! }, 400, 2002, /is a LID/);
      await bad({ checkNumbers: '123' }, 400, 2002, /6 to 15 digits/);
      await bad({ checkNumbers: ['1', '2', '3', '4', '5', '6'].map((n) => `1555777000${n}`).join(',') }, 400, 2002, /at most 5 .*WAYGATE_MAX_CHECK_NUMBERS/);
      await bad({}, 400, 2001, /checkNumbers is required/);
      await bad({ checkNumbers: BOB }, 404, 1101, /not found/, 'no-such-session');
      const created = await gw.request('GET', '/api/v1/session/create?sessionId=profile-unlinked');
      assert.equal(created.status, 202);
      await bad({ checkNumbers: BOB }, 409, 1106, /not connected/, 'profile-unlinked');
      const info = await get('info', {}, 'profile-unlinked');
      assert.deepEqual([info.status, info.body.code], [409, 1106]);
    });

    test('business profile: an account marked business in the sandbox, a plain one, several at once', async () => {
      await setProfile(CAROL, {
        business: { description: 'Fresh bread daily', category: 'Bakery', email: 'hi@carol.example', website: 'https://carol.example', address: '1 Main St' }
      });
      const carol = await ok('business-profile', { checkNumbers: CAROL });
      assert.equal(carol.sessionId, SESSION);
      assert.deepEqual(
        [carol.jid, carol.phone, carol.isBusiness, carol.description, carol.categories, carol.email, carol.websites, carol.address, carol.wid],
        [`${CAROL}@s.whatsapp.net`, CAROL, true, 'Fresh bread daily', ['Bakery'], 'hi@carol.example', ['https://carol.example'], '1 Main St', `${CAROL}@s.whatsapp.net`]
      );
      const both = await ok('business-profile', { checkNumbers: `${CAROL},${BOB}` });
      assert.deepEqual(
        both.data.map((p: any) => [p.phone, p.isBusiness, p.description]),
        [
          [CAROL, true, 'Fresh bread daily'],
          [BOB, false, null]
        ]
      );
      // Bob becomes a business: his own profile info says so.
      await setProfile(BOB, { business: { description: 'Repairs', category: 'Services' } });
      const info = await ok('info', {}, BOB_SESSION);
      assert.deepEqual([info.isBusiness, info.businessProfile.description, info.businessProfile.categories], [true, 'Repairs', ['Services']]);
      const bad = await get('business-profile', { checkNumbers: 'nope' });
      assert.deepEqual([bad.status, bad.body.code], [400, 2002]);
    });
  });
}
