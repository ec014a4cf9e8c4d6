import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSandbox } from './index.js';
import { pn, useSandbox, worldGroup } from '../../test/support/sandbox-fixture.js';
import { mediaDownloadOptions, type RawClient } from '../../test/support/raw-client.js';
import { SMALL_PNG } from '../../test/support/images.js';
import { groupJid } from './world/groups.js';

const ALICE = '15550404001';
const BOB = '15550404002';
const CAROL = '15550404003';

const fixture = useSandbox({ accounts: { [BOB]: 'Bob' }, linked: [[ALICE, 'Alice'], [CAROL, 'Carol']] });
let sb: RunningSandbox;
let alice: RawClient;
let carol: RawClient;
before(async () => ({ sb, clients: [alice, carol] } = await fixture.ready));

async function download(url: string): Promise<Buffer> {
  const { options } = await mediaDownloadOptions(sb.mediaCaPem);
  const response = await fetch(url, options);
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

test('onWhatsApp tells registered numbers from unregistered ones; usync returns device lists and LIDs', async () => {
  const found = await alice.sock!.onWhatsApp(`+${BOB}`, '+4915550000001');
  assert.deepEqual(found, [{ jid: pn(BOB), exists: true }]);
  const devices = await alice.sock!.getUSyncDevices([pn(CAROL)], false, false);
  assert.deepEqual(devices.map((d) => d.device).sort(), [0, 1]);
  const carolLid = sb.network.accounts.get(CAROL)!.lidJid;
  assert.equal(await alice.sock!.signalRepository.lidMapping.getLIDForPN(pn(CAROL)), carolLid);
});

test('about text: fetchStatus reads it, updateProfileStatus changes it', async () => {
  const before = await alice.sock!.fetchStatus(pn(BOB));
  assert.equal((before?.[0]?.status as { status: string }).status, 'Hey there! I am using WhatsApp.');
  await carol.sock!.updateProfileStatus('Out climbing');
  const after = await alice.sock!.fetchStatus(pn(CAROL));
  assert.equal((after?.[0]?.status as { status: string }).status, 'Out climbing');
  assert.equal(sb.network.accounts.get(CAROL)!.about, 'Out climbing');
});

test('profile pictures: set, read from the media host, remove (404 afterwards)', async () => {
  await alice.sock!.updateProfilePicture(pn(ALICE), SMALL_PNG);
  const stored = sb.network.accounts.get(ALICE)!.picture!;
  const url = await carol.sock!.profilePictureUrl(pn(ALICE), 'image');
  assert.ok(url?.startsWith(sb.mediaUrl));
  assert.deepEqual(await download(url!), stored.jpeg);
  await alice.sock!.removeProfilePicture(pn(ALICE));
  await assert.rejects(carol.sock!.profilePictureUrl(pn(ALICE), 'image'), (error: any) => error.data === 404 || /item-not-found/.test(error.message));
});

test('group pictures: members set them, every member device is notified, non-members are refused', async () => {
  const group = worldGroup(sb, { subject: 'Pictures', creator: ALICE, members: [[ALICE, 'superadmin'], [CAROL, 'member']] });
  const gid = groupJid(group);
  await alice.sock!.updateProfilePicture(gid, SMALL_PNG);
  await carol.waitFor('contacts.update', (updates) => updates.some((u) => u.id === gid && u.imgUrl === 'changed'));
  const url = await carol.sock!.profilePictureUrl(gid, 'image');
  assert.deepEqual(await download(url!), group.picture!.jpeg);
  group.members.delete(CAROL);
  await assert.rejects(carol.sock!.updateProfilePicture(gid, SMALL_PNG));
});

test('business profiles: set by the account, read by others; none for ordinary accounts', async () => {
  await alice.sock!.updateBussinesProfile({ description: 'Bakery', email: 'hi@bakery.test', websites: ['https://bakery.test'], address: 'Main St 1' });
  const profile = await carol.sock!.getBusinessProfile(pn(ALICE));
  assert.equal(profile?.description, 'Bakery');
  assert.equal(profile?.email, 'hi@bakery.test');
  assert.deepEqual(profile?.website, ['https://bakery.test']);
  assert.equal(profile?.address, 'Main St 1');
  assert.equal(await carol.sock!.getBusinessProfile(pn(BOB)), undefined);
});

test('block and unblock by PN (resolved to the LID), with blocklist updates and the blocklist query', async () => {
  await alice.sock!.updateBlockStatus(pn(BOB), 'block');
  await alice.waitFor('blocklist.update', (u) => u.type === 'add' && u.blocklist.includes(pn(BOB)));
  assert.deepEqual(await alice.sock!.fetchBlocklist(), [pn(BOB)]);
  await alice.sock!.updateBlockStatus(pn(BOB), 'unblock');
  await alice.waitFor('blocklist.update', (u) => u.type === 'remove');
  assert.deepEqual(await alice.sock!.fetchBlocklist(), []);
});
