// Contract: the 7 profile actions Waygate answers (api-compat §1.3 rows 63-67, 69-70; List Contacts belongs to
// the contact store) exactly as the WARest n8n node sends them: query strings for GET, a JSON body for POST and
// DELETE, both auth headers, empty values omitted, Additional Fields merged into the query (§1.4). Each answer is
// the WARest envelope with WARest's result fields and messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, DIALECTS, TestDatabase, TestGateway, TestSandbox, eventually, linkSession } from '../support/gateway-harness.js';
import { SMALL_PNG } from '../support/images.js';
import { enveloped, hasFields, n8nCall } from '../support/n8n-node.js';

// [operation, method, route, fields] as in the node.
const PROFILE_ACTIONS = [
  ['getProfileInfo', 'GET', '/profile/info', ['sessionId']],
  ['getProfilePicture', 'GET', '/profile/picture', ['sessionId']],
  ['setProfilePicture', 'POST', '/profile/picture', ['sessionId', 'picture']],
  ['deleteProfilePicture', 'DELETE', '/profile/picture', ['sessionId']],
  ['getPrivacySettings', 'GET', '/profile/privacy', ['sessionId']],
  ['checkOnWhatsapp', 'GET', '/profile/on-whatsapp', ['sessionId', 'checkNumbers']],
  ['getBusinessProfile', 'GET', '/profile/business-profile', ['sessionId', 'checkNumbers']]
] as const;

type Operation = (typeof PROFILE_ACTIONS)[number][0];

const ALICE = '15554440001';
const BOB = '15554440002';
const SHOP = '15554440003';
const NOBODY = '15554449999';
const SESSION = 'contract-profile';

const PICTURE_FIELDS = ['url', 'id', 'type', 'imgFull', 'imgPreview'];
const BUSINESS_FIELDS = ['jid', 'phone', 'email', 'address', 'categories', 'businessHoursTimezone', 'businessHours', 'description', 'websites', 'wid'];

for (const dialect of DIALECTS) {
  describe(`${dialect}: WARest n8n contract, profile`, () => {
    let sb: TestSandbox;
    let db: TestDatabase;
    let gw: TestGateway;
    let apiKey: string;
    const seen = new Set<Operation>();
    const call = (operation: Operation, values: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => {
      seen.add(operation);
      return n8nCall(PROFILE_ACTIONS, gw.url, apiKey, operation, { sessionId: SESSION, ...values }, { extra });
    };

    before(async () => {
      sb = await TestSandbox.start();
      db = await TestDatabase.create(dialect);
      gw = await TestGateway.start(db, sb);
      apiKey = (await gw.request('POST', '/api/v1/keys', { body: { name: 'n8n' } })).body.results[0].key;
      for (const phone of [BOB, SHOP]) await sb.ok('POST', '/sandbox/v1/accounts', { phone });
      await sb.ok('POST', `/sandbox/v1/accounts/${SHOP}/profile`, { business: { description: 'Open late', category: 'Grocery Store', website: ['https://shop.example'] } });
      await linkSession(new ApiClient(gw.url, apiKey), sb, SESSION, ALICE, 'Alice');
    });
    after(async () => {
      await gw.stop();
      await sb.sandbox.stop();
      await db.dispose();
    });

    test('the 7 profile actions', async () => {
      const base = ['sessionId', 'phone'];
      // A device learns its push name from the first message its phone sends it (the history sync), shortly after it
      // connects; null until then.
      const info = await eventually(async () => {
        const answer = enveloped('getProfileInfo', await call('getProfileInfo'), 200, 1000, 'Profile info');
        return answer.pushName === null ? undefined : answer;
      }, { what: 'the push name from the phone' });
      hasFields('getProfileInfo', info, [...base, 'verifiedName', 'pushName', 'about', 'pictureId', 'businessProfile', 'entries', 'profilePicture']);
      hasFields('getProfileInfo profilePicture', info.profilePicture, PICTURE_FIELDS);
      hasFields('getProfileInfo entries', info.entries, ['User', 'Agent', 'Device', 'Server']);
      assert.deepEqual([info.phone, info.pushName, info.entries.User], [ALICE, 'Alice', ALICE]);

      const picture = `data:image/png;base64,${SMALL_PNG.toString('base64')}`;
      const set = enveloped('setProfilePicture', await call('setProfilePicture', { picture }), 200, 1000, 'Profile picture updated');
      hasFields('setProfilePicture', set, [...base, ...PICTURE_FIELDS, 'status']);
      assert.match(set.url, /^https:\/\//);
      const read = enveloped('getProfilePicture', await call('getProfilePicture'), 200, 1000, 'Profile picture');
      hasFields('getProfilePicture', read, [...base, ...PICTURE_FIELDS]);
      assert.deepEqual([read.id, read.type], [set.id, 'image']);
      const removed = enveloped('deleteProfilePicture', await call('deleteProfilePicture'), 200, 1000, 'Profile picture removed');
      assert.equal(removed.status, 'success remove profile picture');
      assert.equal(enveloped('getProfilePicture', await call('getProfilePicture'), 200, 1000).url, null);

      const privacy = enveloped('getPrivacySettings', await call('getPrivacySettings'), 200, 1000, 'Privacy settings');
      hasFields('getPrivacySettings', privacy, [...base, 'readReceipts', 'profilePhoto', 'status', 'online', 'lastSeen', 'groupAdd', 'callAdd', 'stikers', 'messages']);
      assert.equal(privacy.readReceipts, 'all');

      // One number: `data` is the entry; several (CSV, as the node's text field sends them): an array.
      const one = enveloped('checkOnWhatsapp', await call('checkOnWhatsapp', { checkNumbers: BOB }), 200, 1000, 'Lookup complete');
      hasFields('checkOnWhatsapp data', one.data, ['jid', 'phone', 'isOnWhatsApp', 'lid']);
      assert.deepEqual([one.data.jid, one.data.phone, one.data.isOnWhatsApp], [`${BOB}@s.whatsapp.net`, BOB, true]);
      assert.match(one.data.lid, /@lid$/);
      const many = enveloped('checkOnWhatsapp', await call('checkOnWhatsapp', { checkNumbers: `${BOB},${NOBODY}` }, { deep: true, limit: 15, offset: 0 }), 200, 1000);
      assert.deepEqual(
        many.data.map((d: any) => [d.phone, d.isOnWhatsApp]),
        [
          [BOB, true],
          [NOBODY, false]
        ]
      );
      hasFields('checkOnWhatsapp deep', many.data[0], ['picture', 'about', 'businessProfile']);

      const shop = enveloped('getBusinessProfile', await call('getBusinessProfile', { checkNumbers: SHOP }), 200, 1000, 'Business profile info');
      hasFields('getBusinessProfile', shop, BUSINESS_FIELDS);
      assert.deepEqual([shop.phone, shop.description, shop.categories, shop.websites], [SHOP, 'Open late', ['Grocery Store'], ['https://shop.example']]);
      const both = enveloped('getBusinessProfile', await call('getBusinessProfile', { checkNumbers: `${SHOP},${BOB}` }), 200, 1000);
      assert.equal(both.data.length, 2);
      for (const entry of both.data) hasFields('getBusinessProfile data', entry, BUSINESS_FIELDS);
      assert.deepEqual([both.data[1].phone, both.data[1].description, both.data[1].categories], [BOB, null, []]);

      assert.deepEqual([...seen].sort(), PROFILE_ACTIONS.map(([op]) => op).sort(), 'every profile action was sent');
    });

    test('errors are enveloped, and the node sees them as non-2xx', async () => {
      enveloped('checkOnWhatsapp', await call('checkOnWhatsapp', { checkNumbers: '' }), 400, 2001);
      enveloped('checkOnWhatsapp', await call('checkOnWhatsapp', { checkNumbers: 'someone' }), 400, 2002);
      enveloped('setProfilePicture', await call('setProfilePicture', { picture: '' }), 400, 2001, 'picture is required: a data URI (data:image/jpeg;base64,…) or an http(s) URL');
      enveloped('setProfilePicture', await call('setProfilePicture', { picture: `data:application/pdf;base64,${Buffer.from('%PDF-1.4').toString('base64')}` }), 415, 5502);
      enveloped('getProfileInfo', await call('getProfileInfo', { sessionId: 'nobody-here' }), 404, 1101);
    });
  });
}
